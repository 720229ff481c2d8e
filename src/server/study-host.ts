/**
 * The participants of a running study: one private token and one live conversation each. Tokens are 32 random
 * bytes (base64url), never written to the run directory, never derivable from anything a participant sees.
 *
 * Only consented participants are recorded: a visitor who joins and never agrees leaves nothing in the run
 * directory (they are only counted), and the conversation starts on consent. A participant who consents but never
 * sends a message is an empty session: it has no conversation record and is counted apart (manifest `live`). A
 * participant's conversation is recorded when they press Finish, and at shutdown for everyone still chatting.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Study } from '../core/experiment.ts';
import type { Policy } from '../core/policy.ts';
import type { ConversationRecord } from '../core/records.ts';
import { createRng } from '../core/rng.ts';
import type { AssistantModel } from '../models/assistant-model.ts';
import { LiveConversation } from '../live/live-conversation.ts';
import type { LiveCellLine } from '../core/records.ts';
import type { LiveRun } from '../live/live-run.ts';

/** What a participant gets on consent: a conversation, and its line in live-cells.jsonl. */
export interface LiveSession {
  /** 1-based order of consent; shown to the researcher instead of the token. */
  readonly number: number;
  readonly conversation: LiveConversation;
  readonly line: LiveCellLine;
}

export interface Participant {
  readonly token: string;
  readonly joinedAt: string;
  /** Null until the participant accepts the consent text. */
  session: LiveSession | null;
  finished: boolean;
  lastActiveAt: string;
  /** The host's change counter at this participant's last change: the researcher feed sends only what changed. */
  version: number;
}

/** Bounds on visitors who have joined but not consented: they cost memory and are not (yet) participants. */
export interface JoinLimits {
  /** At most this many unconsented visitors at once; further joins are refused until some consent or expire. */
  readonly maxUnconsented: number;
  /** An unconsented visitor's link expires this long after joining (printed `--links` never expire). */
  readonly unconsentedTtlMs: number;
}

export const DEFAULT_JOIN_LIMITS: JoinLimits = { maxUnconsented: 1000, unconsentedTtlMs: 60 * 60 * 1000 };

export interface StudyHostOptions {
  readonly run: LiveRun;
  readonly study: Study;
  readonly policy: Policy;
  readonly model: AssistantModel;
  readonly modelId: string;
  readonly seed: number;
  readonly maxMoves: number;
  readonly now: () => Date;
  readonly limits?: JoinLimits;
}

/** An unguessable token: 256 bits from the OS's CSPRNG. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares tokens in constant time, so response timing does not leak a prefix. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class StudyHost {
  readonly researcherToken = newToken();
  private readonly participants = new Map<string, Participant>();
  /** Unconsented visitors who joined through the page, oldest first (Map order): the ones that expire. */
  private readonly waiting = new Map<string, Participant>();
  private readonly limits: JoinLimits;
  private joins = 0;
  private consented = 0;
  private changes = 0;

  constructor(readonly options: StudyHostOptions) {
    this.limits = options.limits ?? DEFAULT_JOIN_LIMITS;
  }

  /** The change counter: every consent, move, finish and request bumps it. */
  get version(): number {
    return this.changes;
  }

  get study(): Study {
    return this.options.study;
  }

  /**
   * Admits a visitor: a private token, nothing recorded until they consent. Returns null when the study already has
   * its limit of unconsented visitors (after expiring the old ones).
   */
  join(): Participant | null {
    this.expire(this.options.now().getTime());
    return this.waiting.size >= this.limits.maxUnconsented ? null : this.admit(false);
  }

  /** A ready-made private link (`serve --links`): never refused, never expires. */
  invite(): Participant {
    return this.admit(true);
  }

  private admit(printed: boolean): Participant {
    const now = this.options.now();
    const at = now.toISOString();
    const participant: Participant = { token: newToken(), joinedAt: at, session: null, finished: false, lastActiveAt: at, version: ++this.changes };
    this.participants.set(participant.token, participant);
    if (!printed) this.waiting.set(participant.token, participant);
    this.joins += 1;
    return participant;
  }

  /** Forgets unconsented visitors whose links have expired (they were counted as joins, never recorded). */
  private expire(nowMs: number): void {
    for (const [token, participant] of this.waiting) {
      if (Date.parse(participant.joinedAt) + this.limits.unconsentedTtlMs > nowMs) break;
      this.waiting.delete(token);
      this.participants.delete(token);
    }
  }

  /** Marks a participant changed, for the researcher feed. */
  changed(participant: Participant): void {
    participant.version = ++this.changes;
  }

  /** Records the participant's consent and starts their conversation. Idempotent. */
  consent(participant: Participant): LiveSession {
    if (participant.session !== null) return participant.session;
    const { run, policy } = this.options;
    this.consented += 1;
    this.waiting.delete(participant.token);
    this.changed(participant);
    const cell = run.startConversation({
      user: `participant-${this.consented}`,
      userKind: 'live',
      model: this.options.modelId,
      policy: policy.name,
      basePolicy: policy.name,
      sweep: {},
    });
    const conversation = new LiveConversation({
      cell,
      policy,
      model: this.options.model,
      rng: createRng(`${this.options.seed}|live|${cell.index}`),
      maxMoves: this.options.maxMoves,
      onEvent: (event) => run.recordEvent(event),
    });
    participant.session = { number: cell.index + 1, conversation, line: { cell, classGiven: false } };
    return participant.session;
  }

  /** The participant holding this token, or undefined (an unknown token is not told apart from a finished one). */
  find(token: string): Participant | undefined {
    return this.participants.get(token);
  }

  touch(participant: Participant): void {
    participant.lastActiveAt = this.options.now().toISOString();
    this.changed(participant);
  }

  /**
   * Records the participant's conversation; later moves are refused. A move still being answered is waited for,
   * so the record always covers every event of the conversation. Nothing is recorded for a participant who never
   * consented, nor for an empty session (no message, no failure): closing the run counts those apart.
   */
  async finish(participant: Participant): Promise<ConversationRecord | null> {
    if (participant.finished) return null;
    participant.finished = true;
    this.changed(participant);
    const session = participant.session;
    if (session === null) return null;
    await session.conversation.settled();
    const { events, failure } = session.conversation;
    if (events.length === 0 && failure === null) return null;
    return this.options.run.finishConversation(session.line, events, failure ?? undefined);
  }

  /** Participants who have consented. */
  get consentedCount(): number {
    return this.consented;
  }

  /** Visitors who joined and have not (yet) consented. */
  get unconsented(): number {
    return this.joins - this.consented;
  }

  isResearcher(token: string): boolean {
    return sameToken(token, this.researcherToken);
  }

  all(): readonly Participant[] {
    return [...this.participants.values()];
  }

  /** Consented participants changed after `since` (a `version` the caller saw), in order of arrival. */
  changedSince(since: number): Participant[] {
    const changed: Participant[] = [];
    for (const participant of this.participants.values()) if (participant.session !== null && participant.version > since) changed.push(participant);
    return changed;
  }

  /** Stops recording: open conversations get their records, then metrics and the manifest are written. */
  async close(): Promise<string> {
    return this.options.run.close({ unconsentedJoins: this.unconsented });
  }
}
