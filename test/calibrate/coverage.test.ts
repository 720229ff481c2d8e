/**
 * Interval coverage over data sets, not one seed: six recordings of the shipped `balanced` profile (each its own
 * data seed and held-out split) are calibrated, and the share of identified parameters whose reported interval misses
 * the truth is compared with the nominal 5%. One recording can miss three of twenty by chance (a binomial tail of about
 * 6%); over six the count is a measurement of coverage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calibrate, type CalibrationOutcome, MAX_OFF_SHARE } from '../../src/calibrate/calibrate.ts';
import type { SimulatedModelProfile } from '../../src/core/model-profile.ts';
import { loadProfile } from '../models/profiles.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';
import { truthOf } from './truth-of.ts';

const DATA_SEEDS = [11, 12, 13, 14, 15, 16];
const FIXTURE = 'test/fixtures/experiments/calibration.yaml';

/** The round-trip fixture with another data seed and absolute paths (it is written to a temporary folder). */
function fixtureWithSeed(seed: number): string {
  const shipped = resolve('experiments');
  const text = readFileSync(FIXTURE, 'utf8')
    .replace(/^seed: \d+$/m, `seed: ${seed}`)
    .replace(/\.\.\/\.\.\/\.\.\/experiments/g, shipped);
  const file = join(tempDir('welfare-sim-coverage-'), 'calibration.yaml');
  writeFileSync(file, text);
  return file;
}

interface Tally {
  checked: number;
  misses: string[];
  judged: number;
  off: number;
}

function tally(outcomes: readonly CalibrationOutcome[], truth: SimulatedModelProfile): Tally {
  const t: Tally = { checked: 0, misses: [], judged: 0, off: 0 };
  outcomes.forEach((outcome, k) => {
    for (const e of outcome.summary.estimates) {
      if (!e.identified || e.low === null || e.high === null) continue;
      const value = truthOf(truth, e.name);
      if (value === undefined) continue;
      t.checked += 1;
      if (value < e.low || value > e.high) t.misses.push(`seed ${DATA_SEEDS[k]} ${e.name}: ${value} outside ${e.low.toFixed(4)}–${e.high.toFixed(4)}`);
    }
    const judged = outcome.summary.holdout.filter((r) => r.verdict !== 'no data');
    t.judged += judged.length;
    t.off += judged.filter((r) => r.verdict === 'off').length;
  });
  return t;
}

describe('calibrate: interval coverage over six recordings of a known model', () => {
  const truth = loadProfile('balanced');
  const outcomes: CalibrationOutcome[] = [];

  beforeAll(async () => {
    for (const seed of DATA_SEEDS) {
      const { runDir } = await runFixture(fixtureWithSeed(seed), { threads: 1 });
      outcomes.push(await calibrate({ runDirs: [runDir], id: `coverage-${seed}`, holdout: 0.25, seed, bootstrap: 30, predictRepetitions: 20 }));
    }
  }, 600_000);

  it('misses the truth in at most 10% of the identified parameters (nominal 5%)', () => {
    const t = tally(outcomes, truth);
    console.log(`coverage: ${t.misses.length} of ${t.checked} intervals miss; held out: ${t.off} of ${t.judged} off`);
    console.log(t.misses.join('\n'));
    expect(t.checked).toBeGreaterThanOrEqual(6 * 15);
    expect(t.misses.length / t.checked, t.misses.join('; ')).toBeLessThanOrEqual(0.1);
  });

  it('predicts held-out users: at most one figure in ten off over all six', () => {
    const t = tally(outcomes, truth);
    expect(t.judged).toBeGreaterThan(6 * 20);
    expect(t.off).toBeLessThanOrEqual(MAX_OFF_SHARE * t.judged);
  });
});
