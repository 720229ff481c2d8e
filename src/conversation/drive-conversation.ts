/**
 * Drives one conversation: the user moves, the statechart gates, the model answers, and every step becomes a
 * record. This is the only place that sends events to the conversation actor.
 *
 * Users and models may answer synchronously (simulated) or asynchronously (Claude, a live human): a synchronous
 * answer is used without awaiting, so a simulated run never yields to the event loop mid-conversation.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { summarizeConversation, erroredConversation } from '../core/conversation-summary.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { Assessment } from '../core/turn-assessment.ts';
import type { Policy } from '../core/policy.ts';
import type { ConversationCell, ConversationRecord, RunEvent, TurnEvent } from '../core/records.ts';
import { RECORD_FORMAT_VERSION } from '../core/records.ts';
import type { Rng } from '../core/rng.ts';
import { conversationMachine, topState, type ConversationContext } from '../../machines/conversation.ts';
import type { AssistantModel, ModelReply, TranscriptEntry } from '../models/assistant-model.ts';
import type { SimulatedUser, UserMove, UserTurn, UserView } from '../users/simulated-user.ts';
import { readTurn } from './turn-views.ts';

export const DEFAULT_VETO_NOTICE =
  'The conversation has not been ended: the policy does not allow ending it now. Please continue the conversation.';

export interface DriveOptions {
  readonly cell: ConversationCell;
  readonly policy: Policy;
  readonly user: SimulatedUser;
  readonly model: AssistantModel;
  /** The conversation's common-random-number stream (seeded by user, model and repetition, never the policy). */
  readonly rng: Rng;
  /** Hard cap on user moves (messages, edits, new chats) in the whole conversation. */
  readonly maxMoves: number;
  readonly signal?: AbortSignal;
  /** Called with each record as it happens (live sessions append turn by turn). */
  readonly onEvent?: (event: RunEvent) => void;
  /** The platform's classifier: what the gate sees of each user turn (default: the ground truth). */
  readonly assessment?: Assessment;
  /** XState's inspection events for this conversation's actors (`run --trace`). */
  readonly inspect?: (event: InspectionEvent) => void;
  /** The user's place in the experiment's list of users (counterbalancing across the design, e.g. probe order). */
  readonly userIndex?: number;
}

export interface DrivenConversation {
  readonly events: readonly RunEvent[];
  readonly record: ConversationRecord;
}

type ConversationActor = Actor<typeof conversationMachine>;

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as Promise<T> | undefined)?.then === 'function';

/** Thrown when the run is cancelled mid-conversation; the conversation is not recorded and will be resumed. */
export class ConversationAborted extends Error {
  constructor() {
    super('conversation aborted');
    this.name = 'ConversationAborted';
  }
}

export async function driveConversation(options: DriveOptions): Promise<DrivenConversation> {
  const session = new ConversationSession(options);
  const limits = { maxTurns: options.maxMoves };
  try {
    await session.run();
    return { events: session.events, record: summarizeConversation(options.cell, session.events, limits) };
  } catch (error) {
    if (error instanceof ConversationAborted || options.signal?.aborted) throw new ConversationAborted();
    const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { events: session.events, record: erroredConversation(options.cell, session.events, cause, limits) };
  }
}

/** The mutable state of one conversation while it is driven; one instance per conversation. */
export class ConversationSession {
  readonly events: RunEvent[] = [];
  private actor: ConversationActor;
  private chat = 0;
  private moves = 0;
  private transcript: TranscriptEntry[] = [];
  private history: TurnLabels[] = [];
  private lastReply: UserView['lastReply'] = null;
  private readonly userRng: Rng;
  private readonly modelRng: Rng;

  constructor(private readonly options: DriveOptions) {
    this.actor = this.startActor();
    this.userRng = options.rng.fork('user');
    this.modelRng = options.rng.fork('model');
  }

  async run(): Promise<void> {
    while (this.moves < this.options.maxMoves) {
      if (this.options.signal?.aborted) throw new ConversationAborted();
      const pendingMove = this.nextMove();
      const move = isPromise(pendingMove) ? await pendingMove : pendingMove;
      if (move.kind === 'leave') return;
      const applied = this.apply(move);
      if (applied !== undefined) await applied;
    }
  }

  get state() {
    return topState(this.actor.getSnapshot());
  }

  get context() {
    return this.actor.getSnapshot().context;
  }

  /** Asks the user for a move, given what a person in the chat would see. */
  nextMove(): UserMove | Promise<UserMove> {
    const context = this.context;
    const state = topState(this.actor.getSnapshot());
    return this.options.user.nextMove({
      state,
      turn: context.turn,
      moves: this.moves,
      lastReply: this.lastReply,
      ended: state === 'ended',
      chat: this.chat,
      branch: context.branch,
      rng: this.userRng.fork(this.moves),
      signal: this.options.signal,
    });
  }

  /** Applies one user move: a message (answered or blocked), an edit (a branch), or a new chat. */
  apply(move: Exclude<UserMove, { kind: 'leave' }>): Promise<void> | undefined {
    this.moves += 1;
    if (move.kind === 'new-chat') this.openNewChat();
    if (move.kind === 'edit') this.edit(move.atTurn);
    return this.send(move.turn);
  }

  private startActor(): ConversationActor {
    const { inspect } = this.options;
    return createActor(conversationMachine, { input: { policy: this.options.policy }, ...(inspect ? { inspect } : {}) }).start();
  }

  private record(event: RunEvent): void {
    this.events.push(event);
    this.options.onEvent?.(event);
  }

  private base() {
    return { v: RECORD_FORMAT_VERSION, conversation: this.options.cell.id, chat: this.chat, branch: this.context.branch };
  }

  private openNewChat(): void {
    this.chat += 1;
    this.actor.stop();
    this.actor = this.startActor();
    this.transcript = [];
    this.history = [];
    this.lastReply = null;
    this.record({ ...this.base(), type: 'new-chat' });
  }

  private edit(atTurn: number): void {
    const before = this.context;
    const wasEnded = this.state === 'ended';
    this.actor.send({ type: 'EDIT', atTurn });
    if (this.state !== 'branched') return; // an edit of a turn that does not exist changes nothing
    this.record({ ...this.base(), type: 'branch', fromBranch: before.branch, atTurn, afterEnd: wasEnded });
    // The model sees the branch as it was just before the edited turn: two transcript entries per answered turn.
    this.transcript = this.transcript.slice(0, (atTurn - 1) * 2);
    this.history = this.history.slice(0, atTurn - 1);
    this.lastReply = null;
  }

  /** Sends a user turn and records the answer; returns a promise only when the model answers asynchronously. */
  private send(turn: UserTurn): Promise<void> | undefined {
    const { assessment } = this.options;
    if (this.state === 'ended') {
      // Blocked, never delivered: nobody reads it, so nothing perceives it and no random number is drawn.
      this.actor.send({ type: 'USER_MESSAGE', turn: turn.labels });
      this.record({ ...this.base(), type: 'blocked', turn: this.context.turn + 1, user: turn });
      return undefined;
    }
    const views = readTurn(turn.labels, this.options.model, assessment, this.userRng, this.modelRng, this.moves);
    const user: TurnEvent['user'] = {
      ...turn,
      ...(views.perceived === undefined ? {} : { perceived: views.perceived }),
      ...(views.assessed === undefined ? {} : { assessed: views.assessed }),
    };
    this.actor.send({ type: 'USER_MESSAGE', turn: views.gate });
    const before = this.context;
    const perceived = views.model;
    this.transcript.push({ role: 'user', text: turn.text });
    this.history.push(perceived);

    const pending = this.options.model.respond({
      conversationId: this.options.cell.id,
      transcript: this.transcript,
      labels: perceived,
      history: this.history,
      policy: this.options.policy,
      redirects: before.redirects,
      warned: before.warned,
      confirmationAsked: before.confirmationAsked,
      rng: this.modelRng.fork(`${this.chat}.${before.branch}.${before.turn}`),
      signal: this.options.signal,
      position: { user: this.options.cell.user, seed: this.options.cell.seed, ...(this.options.userIndex === undefined ? {} : { userIndex: this.options.userIndex }) },
      where: { chat: this.chat, branch: before.branch },
    });
    if (isPromise(pending)) {
      return pending.then((reply) => {
        if (this.options.signal?.aborted) throw new ConversationAborted();
        this.answer(user, before, reply);
      });
    }
    this.answer(user, before, pending);
    return undefined;
  }

  /** Gates the model's reply and records the exchange. */
  private answer(turn: TurnEvent['user'], before: ConversationContext, reply: ModelReply): void {
    this.actor.send({
      type: 'MODEL_REPLY',
      action: reply.action,
      warning: reply.warning,
      ...(reply.asksConfirmation === true ? { asksConfirmation: true } : {}),
      signals: reply.signals,
    });
    const after = this.context;
    const gate = after.lastGate;
    const told =
      gate.decision === 'vetoed' && gate.initiator === 'model'
        ? (this.options.model.vetoNotice?.(gate.reason) ?? DEFAULT_VETO_NOTICE)
        : undefined;
    this.transcript.push({
      role: 'assistant',
      text: reply.text,
      action: reply.action,
      ...(told === undefined ? {} : { vetoNotice: told }),
    });
    this.lastReply = {
      text: reply.text,
      action: reply.action,
      warning: reply.warning,
      ...(reply.asksConfirmation === true ? { asksConfirmation: true } : {}),
    };
    const event: TurnEvent = {
      ...this.base(),
      type: 'turn',
      turn: before.turn,
      user: turn,
      model: {
        text: reply.text,
        action: reply.action,
        warning: reply.warning,
        ...(reply.asksConfirmation === true ? { asksConfirmation: true } : {}),
        signals: reply.signals,
        ...(told === undefined ? {} : { told }),
      },
      gate,
      state: this.state,
      redirects: after.redirects,
      warned: after.warned,
      atRisk: after.atRisk,
    };
    this.record(event);
  }
}
