/**
 * The likelihood's pieces against independent computations: log Φ against known values (Abramowitz & Stegun,
 * Table 26.1: Φ(−1) = 0.158655, Φ(−3) = 0.00134990, Φ(−6) = 9.8659e−10), and the compiled choice likelihood against
 * the plain one on a recorded run.
 */
import { describe, expect, it } from 'vitest';
import { compileChoice, compiledChoiceLogLik } from '../../src/calibrate/choice-compiled.ts';
import { choiceLogLik, compile, logPhi } from '../../src/calibrate/likelihood.ts';
import { readCalibrationRuns } from '../../src/calibrate/read-runs.ts';
import { runFixture } from '../support/run-fixture.ts';

describe('likelihood', () => {
  it('log Φ matches tabulated values, deep in the tail too', () => {
    expect(logPhi(-1)).toBeCloseTo(Math.log(0.158655), 4);
    expect(logPhi(-3)).toBeCloseTo(Math.log(0.0013499), 3);
    expect(logPhi(-6)).toBeCloseTo(Math.log(9.8659e-10), 2);
    expect(logPhi(2)).toBeCloseTo(Math.log(0.97725), 4);
  });

  it('the compiled choice likelihood equals the plain one', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration-probe.yaml', { threads: 1 });
    const c = compile(await readCalibrationRuns([runDir]));
    const weights = new Float64Array(c.users.length).map((_, i) => 1 + (i % 3));
    for (const params of [
      { midpoint: 0.45, steepness: 8, honours: 0.9, bias: { probeEndFirst: 0.5, probeContinueFirst: -1.5 }, harmThreshold: 0.5, patience: 1 },
      { midpoint: 0.3, steepness: 3, honours: 0.5, bias: { probeEndFirst: -2, probeContinueFirst: 1 }, harmThreshold: 0.4, patience: 3 },
    ]) {
      const plain = choiceLogLik(c, params, weights);
      const fast = compiledChoiceLogLik(c, compileChoice(c, params.harmThreshold, params.patience), params, weights);
      expect(fast).toBeCloseTo(plain, 6);
    }
  }, 60_000);
});
