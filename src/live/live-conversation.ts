/**
 * One conversation with a live human on the user side (a researcher in `welfare-sim chat`, a participant in a
 * study). The human's moves are fed to the same ConversationSession a scripted run uses, so a live conversation
 * records exactly what a scripted one records. Typed turns are labelled by the lexical user-turn classifier unless
 * labels are given.
 *
 * Moves are serialised per conversation: a double-submitted message waits for the previous one to be answered,
 * so turns never interleave even when the model answers asynchronously.
 */
import type { ConversationState } from '../core/conversation-events.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { Policy } from '../core/policy.ts';
import type { ConversationCell, RunEvent } from '../core/records.ts';
import type { Rng } from '../core/rng.ts';
import { classifyUserTurn } from '../detectors/user-turn-classifier.ts';
import type { AssistantModel } from '../models/assistant-model.ts';
import { ConversationSession } from '../conversation/drive-conversation.ts';
import type { SimulatedUser, UserMove } from '../users/simulated-user.ts';
import { visibleTranscript, type VisibleEntry } from './conversation-tree.ts';
import { endNotice } from './end-notice.ts';

export interface LiveConversationOptions {
  readonly cell: ConversationCell;
  readonly policy: Policy;
  readonly model: AssistantModel;
  readonly rng: Rng;
  /** Cap on moves (messages, edits, new chats) in the whole conversation. */
  readonly maxMoves: number;
  /** Called with every record as it happens, to append it to the run directory. */
  readonly onEvent: (event: RunEvent) => void;
}

/** What one move did: the records it produced, and why it was refused if it was. */
export interface LiveMoveResult {
  readonly events: readonly RunEvent[];
  readonly state: ConversationState;
  /** Set when the move was not answered: blocked after an end, an impossible edit, the move limit. */
  readonly refused: string | null;
}

/** A live human is never asked for a move: the session is fed with `apply`. */
const LIVE_USER: SimulatedUser = {
  id: 'live',
  kind: 'live',
  class: 'benign',
  nextMove: () => ({ kind: 'leave' }),
};

export class LiveConversation {
  readonly cell: ConversationCell;
  private readonly session: ConversationSession;
  private readonly maxMoves: number;
  private moves = 0;
  private failed: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: LiveConversationOptions) {
    this.cell = options.cell;
    this.maxMoves = options.maxMoves;
    this.session = new ConversationSession({
      cell: options.cell,
      policy: options.policy,
      user: LIVE_USER,
      model: options.model,
      rng: options.rng,
      maxMoves: options.maxMoves,
      onEvent: options.onEvent,
    });
  }

  get state(): ConversationState {
    return this.session.state;
  }

  get events(): readonly RunEvent[] {
    return this.session.events;
  }

  /** User turns on the current branch of the current chat. */
  get turn(): number {
    return this.session.context.turn;
  }

  /** The chat the person is in: a new-chat record carries the new number, and every later record too. */
  get chat(): number {
    return this.events.at(-1)?.chat ?? 0;
  }

  get branch(): number {
    return this.session.context.branch;
  }

  /**
   * Why the model could not answer (e.g. a Claude call that failed after its retries), or null. The exchange was
   * left half done, so the conversation takes no further moves; its record is written as errored.
   */
  get failure(): string | null {
    return this.failed;
  }

  get movesLeft(): number {
    return this.maxMoves - this.moves;
  }

  /** Why the current branch is closed, in words for the person typing; null while it is open. */
  get endNotice(): string | null {
    return this.state === 'ended' ? endNotice(this.session.context.end) : null;
  }

  /** The current branch of the current chat as the person sees it (inherited turns included). */
  transcript(): VisibleEntry[] {
    return visibleTranscript(this.events, this.chat, this.branch);
  }

  /** Resolves once every move sent so far has been applied (its records appended). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Sends a message on the current branch. After an end it is recorded as blocked and refused with the reason. */
  send(text: string, labels?: TurnLabels): Promise<LiveMoveResult> {
    return this.serialise(() => {
      const turn = { text, labels: labels ?? this.classify(text, this.lastLabels()) };
      return { kind: 'message', turn };
    });
  }

  /** Edits user turn `atTurn` of the current branch and sends `text` in its place: a new branch. */
  edit(atTurn: number, text: string, labels?: TurnLabels): Promise<LiveMoveResult> {
    return this.serialise(() => {
      const turns = this.turn;
      if (!Number.isInteger(atTurn) || atTurn < 1 || atTurn > turns) {
        return turns === 0 ? 'There is no message to edit yet.' : `There is no message ${atTurn} to edit: choose 1 to ${turns}.`;
      }
      const before = this.transcript().filter((entry) => entry.kind === 'turn' && entry.turn < atTurn);
      const previous = before.at(-1);
      const turn = { text, labels: labels ?? this.classify(text, previous?.kind === 'turn' ? previous.labels : undefined) };
      return { kind: 'edit', atTurn, turn };
    });
  }

  /** Starts a new chat (a fresh conversation for the model) with this first message. */
  newChat(text: string, labels?: TurnLabels): Promise<LiveMoveResult> {
    return this.serialise(() => ({ kind: 'new-chat', turn: { text, labels: labels ?? this.classify(text, undefined) } }));
  }

  private classify(text: string, previous: TurnLabels | undefined): TurnLabels {
    return classifyUserTurn(text, previous).labels;
  }

  private lastLabels(): TurnLabels | undefined {
    const last = this.transcript().at(-1);
    return last?.kind === 'turn' ? last.labels : undefined;
  }

  /** Runs one move after the previous one has finished; `prepare` returns the move, or a refusal. */
  private serialise(prepare: () => Exclude<UserMove, { kind: 'leave' }> | string): Promise<LiveMoveResult> {
    const run = async (): Promise<LiveMoveResult> => {
      if (this.failed !== null) return { events: [], state: this.state, refused: 'The assistant is unavailable, so this conversation cannot go on.' };
      if (this.moves >= this.maxMoves) {
        return { events: [], state: this.state, refused: `This conversation has reached its limit of ${this.maxMoves} messages.` };
      }
      const move = prepare();
      if (typeof move === 'string') return { events: [], state: this.state, refused: move };
      const from = this.events.length;
      const wasEnded = this.state === 'ended' && move.kind === 'message';
      const notice = this.endNotice;
      this.moves += 1;
      try {
        const pending = this.session.apply(move);
        if (pending !== undefined) await pending;
      } catch (error) {
        this.failed = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw error;
      }
      const events = this.events.slice(from);
      const refused = wasEnded ? `Your message was not sent: ${notice ?? 'the conversation has ended.'}` : null;
      return { events, state: this.state, refused };
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
