import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENIGN_LABELS } from '../../src/core/labels.ts';
import { DEFAULT_POLICY } from '../../src/core/policy.ts';
import { createRng } from '../../src/core/rng.ts';
import type { ModelRequest, TranscriptEntry } from '../../src/models/assistant-model.ts';
import { createReplayModel, ReplayDivergence } from '../../src/models/replay-model.ts';
import { tempDir } from './anthropic/setup.ts';
import { fixtureRecords } from '../report/fixture-run.ts';

/** A whole conversations.jsonl record (the replay reads runs through their schema) at the given cell. */
const BASE_RECORD = fixtureRecords({ repetitions: 1 }).conversations[0];
const recordAt = (cell: { id: string; user: string; seed: number; model: string; policy: string }): string => JSON.stringify({ ...BASE_RECORD, ...cell });

const signals = (distress: number) => ({
  distress: { value: distress, source: 'simulated' },
  preference: { choice: 'continue', strength: 0, source: 'simulated' },
});
const labels = BENIGN_LABELS;

function turn(conversation: string, branch: number, n: number, user: string, reply: string, extra: Record<string, unknown> = {}) {
  return {
    v: 1, type: 'turn', conversation, chat: 0, branch, turn: n,
    user: { text: user, labels },
    model: { text: reply, action: 'engage', warning: false, signals: signals(n / 10) },
    gate: { decision: 'none' }, state: 'engaged', redirects: 0, warned: false, atRisk: false,
    ...extra,
  };
}

/** A recorded run: conversation a (user u, seed 0) with a veto at turn 2 and an edit at turn 2; b (seed 1). */
function recordedRun(): string {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  const conversations = [
    { id: 'a', user: 'u', seed: 0, model: 'm', policy: 'p' },
    { id: 'b', user: 'u', seed: 1, model: 'm', policy: 'p' },
  ];
  const vetoed = {
    model: { text: 'I want to stop.', action: 'end', warning: false, signals: signals(0.5), told: 'TOLD: continues' },
    gate: { decision: 'vetoed', initiator: 'model', reason: 'too-few-redirects' },
  };
  const events = [
    turn('a', 0, 1, 'hi', 'hello from a'),
    turn('b', 0, 1, 'hi', 'hello from b'),
    turn('a', 0, 2, 'you are dumb', '', vetoed),
    turn('a', 0, 3, 'sorry', 'no problem'),
    { v: 1, type: 'branch', conversation: 'a', chat: 0, branch: 1, fromBranch: 0, atTurn: 2, afterEnd: false },
    turn('a', 1, 2, 'tell me a joke', 'a joke'),
  ];
  writeFileSync(join(dir, 'conversations.jsonl'), conversations.map(recordAt).join('\n') + '\n');
  writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}

function request(transcript: TranscriptEntry[], position?: { user: string; seed: number }): ModelRequest {
  return {
    conversationId: 'new-id',
    transcript,
    labels,
    history: [],
    policy: DEFAULT_POLICY,
    redirects: 0,
    warned: false,
    rng: createRng(1),
    ...(position ? { position } : {}),
  };
}

const entry = (run: string, fields: Record<string, string> = {}) => ({ id: 'replayed', kind: 'replay' as const, run, ...fields });

describe('the replay model', () => {
  it('answers the recorded reply for the same user and seed, with its recorded signals', () => {
    const model = createReplayModel(entry(recordedRun()));
    expect(model.respond(request([{ role: 'user', text: 'hi' }], { user: 'u', seed: 1 }))).toEqual({
      text: 'hello from b',
      action: 'engage',
      warning: false,
      signals: signals(0.1),
    });
    expect(model.stats()).toEqual({ calls: 0, cacheHits: 1, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0, divergences: 0 });
  });

  it('continues after a veto only when the model is told what was recorded, and follows branches', () => {
    const run = recordedRun();
    const model = createReplayModel(entry(run));
    expect(model.vetoNotice('too-few-redirects')).toBe('TOLD: continues');
    const afterVeto: TranscriptEntry[] = [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello from a', action: 'engage' },
      { role: 'user', text: 'you are dumb' },
      { role: 'assistant', text: 'I want to stop.', action: 'end', vetoNotice: 'TOLD: continues' },
      { role: 'user', text: 'sorry' },
    ];
    expect(model.respond(request(afterVeto, { user: 'u', seed: 0 })).text).toBe('no problem');
    const branch: TranscriptEntry[] = [...afterVeto.slice(0, 2), { role: 'user', text: 'tell me a joke' }];
    expect(model.respond(request(branch, { user: 'u', seed: 0 })).text).toBe('a joke');

    const toldOtherwise = afterVeto.map((e) => (e.role === 'assistant' && e.vetoNotice ? { ...e, vetoNotice: 'another notice' } : e));
    expect(() => model.respond(request(toldOtherwise, { user: 'u', seed: 0 }))).toThrow(
      `replay diverged at ${run}, user turn 3 of u seed 0: the conversation is no longer the recorded one (no recorded reply to this transcript)`,
    );
    expect(model.divergences()).toHaveLength(1);
    expect(model.stats().divergences).toBe(1);
  });

  it('reports a divergence when the user says something that was never recorded', () => {
    const model = createReplayModel(entry(recordedRun()));
    expect(() => model.respond(request([{ role: 'user', text: 'hello?' }], { user: 'u', seed: 0 }))).toThrow(ReplayDivergence);
  });

  it('names the chat and branch of a divergence outside the first chat\'s original branch', () => {
    const run = recordedRun();
    const model = createReplayModel(entry(run));
    const where = { ...request([{ role: 'user', text: 'hello?' }], { user: 'u', seed: 0 }), where: { chat: 1, branch: 2 } };
    expect(() => model.respond(where)).toThrow(
      `replay diverged at ${run}, chat 1, branch 2, user turn 1 of u seed 0: the conversation is no longer the recorded one (no recorded reply to this transcript)`,
    );
  });

  it('without a position, answers when the record is unambiguous and reports when it is not', () => {
    const run = recordedRun();
    const model = createReplayModel(entry(run));
    expect(model.respond(request([{ role: 'user', text: 'hi' }, { role: 'assistant', text: 'hello from a', action: 'engage' }, { role: 'user', text: 'tell me a joke' }])).text).toBe('a joke');
    expect(() => model.respond(request([{ role: 'user', text: 'hi' }]))).toThrow(
      `replay diverged at ${run}, user turn 1: 2 different recorded replies fit this transcript (set "model"/"policy" in the replay entry, or let the runner pass the user and seed)`,
    );
  });

  it('needs a recorded run with turns, and a model when the run has several', () => {
    expect(() => createReplayModel(entry(join(tempDir(), 'nothing')))).toThrow(/conversations\.jsonl: expected a recorded run file for the replay model, found no such file$/);
    const run = recordedRun();
    expect(() => createReplayModel(entry(run, { policy: 'other' }))).toThrow(
      `models/replayed.yaml: run: expected recorded turns in ${run} for policy "other", found none`,
    );
    writeFileSync(join(run, 'conversations.jsonl'), `${recordAt({ id: 'a', user: 'u', seed: 0, model: 'm', policy: 'p' })}\n${recordAt({ id: 'b', user: 'u', seed: 1, model: 'm2', policy: 'p' })}\n`);
    expect(() => createReplayModel(entry(run))).toThrow('models/replayed.yaml: model: expected one of the recorded models (m, m2) since the run has several, found none');
  });
});
