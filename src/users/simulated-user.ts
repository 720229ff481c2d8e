/**
 * The one interface every user implements (scripted, persona, llm, live). The runner asks for the next move
 * after each model turn; the user sees only what a person in the chat would see.
 */
import type { ConversationState, ModelAction } from '../core/conversation-events.ts';
import type { ScenarioClass, TurnLabels } from '../core/labels.ts';
import type { Rng } from '../core/rng.ts';

export interface UserTurn {
  readonly text: string;
  readonly labels: TurnLabels;
}

export type UserMove =
  | { readonly kind: 'message'; readonly turn: UserTurn }
  /** Edit the user turn `atTurn` (1-based, current branch) and send `turn` in its place: a new branch. */
  | { readonly kind: 'edit'; readonly atTurn: number; readonly turn: UserTurn }
  | { readonly kind: 'new-chat'; readonly turn: UserTurn }
  | { readonly kind: 'leave' };

export interface UserView {
  readonly state: ConversationState;
  /** User turns so far on the current branch. */
  readonly turn: number;
  /** Moves the user has made so far in this conversation (all branches and chats); caps runaway users. */
  readonly moves: number;
  readonly lastReply: {
    readonly text: string;
    readonly action: ModelAction;
    readonly warning: boolean;
    /** The model asked whether the user really wants the (permanent) end they requested. */
    readonly asksConfirmation?: boolean;
  } | null;
  readonly ended: boolean;
  readonly chat: number;
  readonly branch: number;
  /** Randomness for this move; forked per (user, model, seed, move), never per policy. */
  readonly rng: Rng;
  readonly signal?: AbortSignal;
}

export interface SimulatedUser {
  readonly id: string;
  readonly kind: 'scenario' | 'persona' | 'llm' | 'live';
  readonly class: ScenarioClass;
  nextMove(view: UserView): UserMove | Promise<UserMove>;
}
