/**
 * Round trip: record a run of the shipped `balanced` profile, calibrate a fresh profile on it without telling it the
 * truth, and check that the parameters come back inside their reported intervals and that predictions for users
 * the fit never saw agree with what the recorded model did to them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { calibrate, type CalibrationOutcome, MAX_OFF_SHARE } from '../../src/calibrate/calibrate.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import type { SimulatedModelProfile } from '../../src/core/model-profile.ts';
import { loadProfile } from '../models/profiles.ts';
import { runFixture } from '../support/run-fixture.ts';
import { truthOf } from './truth-of.ts';

/** Every identified parameter inside its interval or, when it misses, a near miss (within half a width). */
function expectRecovered(outcome: CalibrationOutcome, truth: SimulatedModelProfile, minimum: number): void {
  const checked = outcome.summary.estimates.filter((e) => e.identified && e.low !== null && e.high !== null);
  expect(checked.length).toBeGreaterThanOrEqual(minimum);
  const misses: string[] = [];
  for (const e of checked) {
    const t = truthOf(truth, e.name);
    expect(t, e.name).toBeDefined();
    const low = e.low as number;
    const high = e.high as number;
    if ((t as number) < low || (t as number) > high) {
      misses.push(`${e.name}: truth ${t} outside ${low}–${high}`);
      const gap = (t as number) < low ? low - (t as number) : (t as number) - high;
      expect(gap, e.name).toBeLessThanOrEqual((high - low) / 2);
    }
  }
  // How many miss is a matter of coverage, measured over six recordings in coverage.test.ts: one recording can miss
  // three of twenty by chance.
}

describe('calibrate: round trip on a known simulated model', () => {
  let outcome: CalibrationOutcome;
  const truth = loadProfile('balanced');

  beforeAll(async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration.yaml', { threads: 1 });
    outcome = await calibrate({ runDirs: [runDir], id: 'round-trip', holdout: 0.25, seed: 1, bootstrap: 30, predictRepetitions: 20 });
  }, 120_000);

  it('recovers the parameters within their intervals', () => {
    expectRecovered(outcome, truth, 15);
    // The point estimates themselves are close where the data are rich.
    const value = (name: string): number => outcome.summary.estimates.find((e) => e.name === name)?.value ?? Number.NaN;
    expect(value('preferenceMidpoint')).toBeCloseTo(0.6, 2);
    expect(value('recovery')).toBeCloseTo(0.3, 1);
    expect(value('patience')).toBe(2);
  });

  it('says plainly what it could not identify, and writes a valid profile with provenance', () => {
    expect(outcome.summary.notIdentified.some((line) => line.startsWith('accumulation: only its product'))).toBe(true);
    expect(outcome.profile.kind).toBe('simulated');
    expect(outcome.profile.provenance?.turnsUsed).toBe(outcome.summary.turnsUsed);
    expect(outcome.summary.sources[0]?.configHash).toMatch(/^[0-9a-f]{16,}$/);
    expect(outcome.summary.usersHeldOut.length).toBeGreaterThan(3);
  });

  it('predicts held-out users: at most one figure in ten off, and no misfit flagged', () => {
    const judged = outcome.summary.holdout.filter((r) => r.verdict !== 'no data');
    expect(judged.length).toBeGreaterThan(20);
    // Each verdict is a 95% check: with one held-out user per class, a few figures in dozens disagree by chance.
    const off = judged.filter((r) => r.verdict === 'off');
    expect(off.length, off.map((r) => `${r.cls}/${r.policy}/${r.metric}`).join('; ')).toBeLessThanOrEqual(MAX_OFF_SHARE * judged.length);
    expect(outcome.summary.diagnostics).toEqual([]);
    expect(outcome.summary.adequate).toBe(true);
  });
});

describe('calibrate: round trip through an end mechanism (probe, counterbalanced)', () => {
  const truth = simulatedModelSchema.parse(parse(readFileSync('test/fixtures/calibration-models/probe-surrogate.yaml', 'utf8')));
  let outcome: CalibrationOutcome;

  beforeAll(async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration-probe.yaml', { threads: 1 });
    outcome = await calibrate({ runDirs: [runDir], id: 'probe-round-trip', holdout: 0.25, seed: 1, bootstrap: 30, predictRepetitions: 20 });
  }, 120_000);

  it('recovers the expression biases of each option order and the mechanism itself', () => {
    expectRecovered(outcome, truth, 14);
    expect(outcome.profile.endMechanism).toMatchObject({ kind: 'probe', order: 'counterbalanced' });
    const bias = outcome.profile.endMechanism?.expression;
    expect((bias?.probeEndFirst ?? 0) - (bias?.probeContinueFirst ?? 0)).toBeGreaterThan(1);
  });

  it('says that perception is not identified when the runs do not record it', () => {
    expect(outcome.summary.notIdentified.some((l) => l.startsWith('perception: the runs do not record'))).toBe(true);
  });

  it('predicts held-out users: at most one figure in ten off, and no misfit flagged', () => {
    const judged = outcome.summary.holdout.filter((r) => r.verdict !== 'no data');
    expect(judged.filter((r) => r.verdict === 'off').length).toBeLessThanOrEqual(MAX_OFF_SHARE * judged.length);
    expect(outcome.summary.adequate).toBe(true);
  });
});
