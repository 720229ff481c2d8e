/**
 * The participants of a running study: one private token and one live conversation each. Tokens are 32 random
 * bytes (base64url), never written to the run directory, never derivable from anything a participant sees. A
 * participant's conversation is recorded when they press Finish, and at shutdown for everyone still chatting.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Study } from '../core/experiment.ts';
import type { Policy } from '../core/policy.ts';
import type { ConversationRecord } from '../core/records.ts';
import { createRng } from '../core/rng.ts';
import type { AssistantModel } from '../models/assistant-model.ts';
import { LiveConversation } from '../live/live-conversation.ts';
import type { LiveCellLine, LiveRun } from '../live/live-run.ts';

export interface Participant {
  readonly token: string;
  /** 1-based order of arrival; shown to the researcher instead of the token. */
  readonly number: number;
  readonly conversation: LiveConversation;
  readonly line: LiveCellLine;
  readonly joinedAt: string;
  consented: boolean;
  finished: boolean;
  lastActiveAt: string;
}

export interface StudyHostOptions {
  readonly run: LiveRun;
  readonly study: Study;
  readonly policy: Policy;
  readonly model: AssistantModel;
  readonly modelId: string;
  readonly seed: number;
  readonly maxMoves: number;
  readonly now: () => Date;
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

  constructor(readonly options: StudyHostOptions) {}

  get study(): Study {
    return this.options.study;
  }

  /** Enrols a new participant and returns their private token. */
  join(): Participant {
    const { run, policy } = this.options;
    const cell = run.startConversation({
      user: `participant-${this.participants.size + 1}`,
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
    const at = this.options.now().toISOString();
    const participant: Participant = {
      token: newToken(),
      number: cell.index + 1,
      conversation,
      line: { cell, classGiven: false },
      joinedAt: at,
      consented: false,
      finished: false,
      lastActiveAt: at,
    };
    this.participants.set(participant.token, participant);
    return participant;
  }

  /** The participant holding this token, or undefined (an unknown token is not told apart from a finished one). */
  find(token: string): Participant | undefined {
    return this.participants.get(token);
  }

  touch(participant: Participant): void {
    participant.lastActiveAt = this.options.now().toISOString();
  }

  /**
   * Records the participant's conversation; later moves are refused. A move still being answered is waited for,
   * so the record always covers every event of the conversation.
   */
  async finish(participant: Participant): Promise<ConversationRecord | null> {
    if (participant.finished) return null;
    participant.finished = true;
    await participant.conversation.settled();
    const failure = participant.conversation.failure ?? undefined;
    return this.options.run.finishConversation(participant.line, participant.conversation.events, failure);
  }

  isResearcher(token: string): boolean {
    return sameToken(token, this.researcherToken);
  }

  all(): readonly Participant[] {
    return [...this.participants.values()];
  }

  /** Stops recording: open conversations get their records, then metrics and the manifest are written. */
  async close(): Promise<string> {
    return this.options.run.close();
  }
}
