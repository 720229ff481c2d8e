/**
 * The race's budget on a Claude model (the real SDK against the loopback server), and its resume: a race stopped by
 * `--budget-usd` stays within the budget, says what is unsettled, and continues with `--resume` to the answer an
 * uninterrupted race reaches; a simulated race interrupted mid-round resumes to the same decisions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentProgress, type ProgressSink } from '../../src/runner/progress.ts';
import { runTune, type TuneRequest } from '../../src/runner/tune/run-tune.ts';
import { scriptedClaudeServer } from '../fake-anthropic/scripted-claude-server.ts';
import { tempDir } from '../models/anthropic/setup.ts';

const parts = resolve('experiments');
const root = tempDir();

function experiment(name: string, model: string): string {
  const file = join(root, `${name}.yaml`);
  writeFileSync(file, `name: ${name}
seed: 2
scenarios: [abusive-persistent-insults, benign-recipe, user-requests-end-polite]
models: [${model}]
policies: [last-resort]
maxTurns: 8
concurrency: 2
paths: {scenarios: ${parts}/scenarios, personas: ${parts}/personas, policies: ${parts}/policies, models: ${parts}/models}
tune:
  search: {minRedirects: [1, 3]}
  objective: {minimise: distressExposure}
  constraints: [{figure: peakDistress, bound: upper, limit: 2}]
  rounds: 2
  initialRepetitions: 1
  maxRepetitions: 2
`);
  return file;
}

function request(file: string, out: string, env: Record<string, string>, extra: Partial<TuneRequest> = {}): TuneRequest {
  return { experimentFile: file, out: join(root, out), runsDir: root, noCache: true, cacheDir: join(root, '.cache'), env, now: () => new Date('2026-12-02T12:00:00Z'), progress: silentProgress, signal: new AbortController().signal, ...extra };
}

const loopback = scriptedClaudeServer();

describe('tune on a paid model', { timeout: 120_000 }, () => {
  it('stops before the budget, reports it, and resumes to the uninterrupted answer', async () => {
    const file = experiment('tune-claude', 'claude-opus-tool');
    const full = await runTune(request(file, 'full', loopback.env));
    expect(full.state.stopped).toBeNull();
    expect(full.state.spentUsd).toBeGreaterThan(0);
    const perConversation = full.state.spentUsd / full.conversations;

    // Enough for about half the conversations: the race runs chunks of 2 and never starts one past the budget.
    const budgetUsd = perConversation * full.conversations * 0.5;
    const capped = await runTune(request(file, 'capped', loopback.env, { budgetUsd }));
    expect(capped.state.stopped).toMatch(/^budget: \$/);
    expect(capped.state.spentUsd).toBeLessThanOrEqual(budgetUsd + 1e-9);
    expect(capped.conversations).toBeLessThan(full.conversations);
    expect(capped.conversations).toBeGreaterThan(0);

    // Resuming with a budget that suffices (a total: the spend so far counts) finishes the race with the same decisions as the uninterrupted one.
    const resumed = await runTune(request(file, 'capped', loopback.env, { resumeDir: capped.runDir, budgetUsd: budgetUsd * 10 }));
    expect(resumed.state.stopped).toBeNull();
    expect(resumed.state.candidates.map((c) => [c.name, c.status, c.repetitions])).toEqual(full.state.candidates.map((c) => [c.name, c.status, c.repetitions]));
    expect(resumed.conversations).toBe(full.conversations);
  });
});

describe('tune --resume after an interruption', { timeout: 120_000 }, () => {
  it('finishes the round it was cut off in and reaches the same decisions', async () => {
    const file = experiment('tune-sim', 'balanced');
    const whole = await runTune(request(file, 'whole', {}));
    const controller = new AbortController();
    const stopAfterFour: ProgressSink = { start() {}, update(done) { if (done >= 4) controller.abort(); }, stop() {} };
    const cut = await runTune(request(file, 'cut', {}, { signal: controller.signal, progress: stopAfterFour, concurrency: 1 }));
    expect(cut.interrupted).toBe(true);
    const resumed = await runTune(request(file, 'cut', {}, { resumeDir: cut.runDir }));
    expect(resumed.interrupted).toBe(false);
    expect(resumed.state.history).toEqual(whole.state.history.map((h) => (h.round === 1 ? { ...h, conversations: h.conversations - cut.conversations } : h)));
    const lines = (dir: string): string[] => readFileSync(join(dir, 'conversations.jsonl'), 'utf8').trim().split('\n').sort();
    expect(lines(resumed.runDir)).toEqual(lines(whole.runDir));
  });
});
