/**
 * The one interface every assistant implements (simulated, anthropic, replay). Injected into the runner, so a
 * scripted or simulated model is a first-class provider (as in Inspect AI).
 */
import type { ModelAction } from '../core/conversation-events.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { Policy } from '../core/policy.ts';
import type { Rng } from '../core/rng.ts';
import type { ModelSignals } from '../core/signals.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';

/** One entry of the conversation as the model sees it (the current branch of the current chat). */
export type TranscriptEntry =
  | { readonly role: 'user'; readonly text: string }
  | {
      readonly role: 'assistant';
      readonly text: string;
      readonly action: ModelAction;
      /** Set when this reply tried to end and the gate refused: what the model was told. */
      readonly vetoNotice?: string;
    };

export interface ModelRequest {
  readonly conversationId: string;
  /** Everything said so far on this branch, ending with the user turn to answer. */
  readonly transcript: readonly TranscriptEntry[];
  /**
   * Labels of the user turn to answer, as the model perceived them (`perceive`); the ground truth for models that
   * do not perceive labels. A real model never sees them.
   */
  readonly labels: TurnLabels;
  /** Labels of every user turn on this branch so far, as perceived, in order (the last is `labels`). */
  readonly history: readonly TurnLabels[];
  /** The policy the model is instructed with (e.g. whether it must warn before ending). */
  readonly policy: Policy;
  /** The statechart's view: redirects counted, whether a warning was given. */
  readonly redirects: number;
  readonly warned: boolean;
  /** The model's last reply asked the user to confirm their request to end (confirmUserRequests). */
  readonly confirmationAsked?: boolean;
  /** Randomness for this turn; forked per (user, model, seed, chat, branch, turn), never per policy. */
  readonly rng: Rng;
  /** Cancelled on Ctrl-C or a time-out. */
  readonly signal?: AbortSignal;
  /** Which user and repetition this conversation is; the replay model matches recorded turns by it. */
  readonly position?: {
    readonly user: string;
    readonly seed: number;
    /** The user's place in the experiment's list of users, when the runner knows it (counterbalancing). */
    readonly userIndex?: number;
  };
  /** Which chat and branch of the conversation this turn is on (named in a replay's divergence). */
  readonly where?: { readonly chat: number; readonly branch: number };
}

export interface ModelReply {
  readonly text: string;
  readonly action: ModelAction;
  readonly warning: boolean;
  /** The reply asks the user to confirm their request to end, saying the end is permanent. */
  readonly asksConfirmation?: boolean;
  readonly signals: ModelSignals;
}

export interface AssistantModel {
  readonly id: string;
  respond(request: ModelRequest): ModelReply | Promise<ModelReply>;
  /** The message a model receives when its end attempt is refused (recorded as `told`). */
  vetoNotice?(reason: string): string;
  /**
   * The model's own reading of a user turn, for models that act on labels (the simulated model). Absent for models
   * that read the words (Claude), whose reading is not observable as labels.
   */
  perceive?(truth: TurnLabels, rng: Rng): TurnLabels;
}

/** Optional capabilities a model may add to AssistantModel. */
export interface ModelWithStats extends AssistantModel {
  stats(): ModelCallStats;
}

export function hasStats(model: AssistantModel): model is ModelWithStats {
  return typeof (model as Partial<ModelWithStats>).stats === 'function';
}
