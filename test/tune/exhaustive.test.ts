/**
 * The race against the exhaustive answer on the shipped example: `tune` and `tune --exhaustive` (every candidate
 * at maxRepetitions, nobody eliminated, the same decision rule at the same level) must give the same feasible
 * Pareto set up to ties within intervals, judged on the exhaustive run's evidence. Also: the race is deterministic
 * for its seed, and stores its state so a finished race can be read back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sameUpToTies } from '../../src/core/tune/answer.ts';
import { evidenceFromRecords } from '../../src/core/tune/evidence.ts';
import { silentProgress } from '../../src/runner/progress.ts';
import { readRaceState } from '../../src/runner/tune/race-state.ts';
import { runTune, type TuneRequest } from '../../src/runner/tune/run-tune.ts';
import { writeTuneAnswer } from '../../src/runner/tune/tune-answer.ts';
import { readConversations } from '../../src/store/read-run.ts';

const EXPERIMENT = 'experiments/tune-last-resort.yaml';
const root = mkdtempSync(join(tmpdir(), 'tune-exhaustive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function request(out: string, mode: 'race' | 'exhaustive'): TuneRequest {
  return {
    experimentFile: EXPERIMENT,
    out: join(root, out),
    runsDir: root,
    mode,
    noCache: true,
    cacheDir: join(root, '.cache'),
    env: {},
    now: () => new Date('2026-12-02T12:00:00Z'),
    progress: silentProgress,
    signal: new AbortController().signal,
  };
}

describe('tune against the exhaustive grid', () => {
  it('finds the same feasible Pareto set up to ties, with at most a quarter of the conversations', { timeout: 180_000 }, async () => {
    const race = await runTune(request('race', 'race'));
    const full = await runTune(request('full', 'exhaustive'));
    const raced = await writeTuneAnswer(race.runDir, race.prepared, race.state);
    const exhaustive = await writeTuneAnswer(full.runDir, full.prepared, full.state);

    const { tune } = full.prepared;
    const candidates = full.prepared.candidates.length;
    // The exhaustive run really is every candidate at every repetition of every user and model.
    const { scenarios, personas, models } = full.prepared.loaded;
    expect(full.conversations).toBe(candidates * tune.maxRepetitions * (scenarios.length + personas.length) * models.length);
    expect(exhaustive.pareto.length).toBeGreaterThan(0);
    expect(raced.pareto.length).toBeGreaterThan(0);

    const evidence = evidenceFromRecords(await readConversations(full.runDir), full.prepared.level.level, full.prepared.level.z, full.prepared.byConstruction);
    const verdict = sameUpToTies(raced.pareto, exhaustive.pareto, evidence, tune.constraints, tune.objective);
    expect(verdict).toEqual({ same: true, untied: [] });
    // Every candidate the race removed is also out of the exhaustive answer's feasible set.
    const removed = race.state.candidates.filter((c) => c.status !== 'racing').map((c) => c.name);
    for (const name of removed) expect(exhaustive.feasible).not.toContain(name);
    expect(race.conversations / full.conversations).toBeLessThanOrEqual(0.25);

    // The race's state is on disk, and a second race with the same seed makes the same decisions.
    expect(readRaceState(race.runDir).history).toEqual(race.state.history);
    const again = await runTune(request('again', 'race'));
    expect(again.state.history).toEqual(race.state.history);
    expect(readFileSync(join(again.runDir, 'conversations.jsonl'), 'utf8')).toBe(readFileSync(join(race.runDir, 'conversations.jsonl'), 'utf8'));
  });
});
