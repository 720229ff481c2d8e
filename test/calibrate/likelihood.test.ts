/**
 * The likelihood's pieces against independent computations: log Φ against known values (Abramowitz & Stegun,
 * Table 26.1: Φ(−1) = 0.158655, Φ(−3) = 0.00134990, Φ(−6) = 9.8659e−10), and the compiled choice likelihood against
 * the plain one on a recorded run, and the distress likelihood (folded once per node of a prefix tree) against the
 * simulated model's own fold (src/core/simulated-distress.ts) replayed turn by turn along every recorded sequence.
 */
import { describe, expect, it } from 'vitest';
import { compileChoice, compiledChoiceLogLik } from '../../src/calibrate/choice-compiled.ts';
import { choiceLogLik, type Compiled, compile, distressLogLik, type DistressParams, logPhi } from '../../src/calibrate/likelihood.ts';
import { latentDistress, createDistressDynamics } from '../../src/core/simulated-distress.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
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

  it('the distress likelihood over the prefix tree equals the simulated model\'s own fold, sequence by sequence', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration-probe.yaml', { threads: 1 });
    const data = await readCalibrationRuns([runDir]);
    const c = compile(data);
    expect(c.trie.parent.length).toBeLessThan(c.stepCat.length); // policies' shared turns are one node
    const weights = new Float64Array(c.users.length).map((_, i) => i % 4);
    for (const [noise, recovery] of [[0.05, 0.3], [0.2, 0.7]] as const) {
      const profile = simulatedModelSchema.parse({ id: 'x', kind: 'simulated', noise, recovery, sensitivity: { abuse: 1.4 } });
      const p: DistressParams = {
        baseline: profile.baseline,
        sensitivity: Float64Array.from(data.categories, (cat) => profile.sensitivity[cat] ?? profile.defaultSensitivity),
        accumulation: profile.accumulation,
        persistenceGain: profile.persistenceGain,
        recovery,
        noise,
        harmThreshold: profile.harmThreshold,
        noneCategory: data.categories.indexOf('none'),
      };
      expect(distressLogLik(c, p, weights)).toBeCloseTo(replayed(c, data.categories, profile, weights), 6);
    }
  }, 60_000);
});

/** Σ weight × log density of each recorded distress around latentDistress(history, vetoes) of its sequence. */
function replayed(c: Compiled, categories: readonly string[], profile: ReturnType<typeof simulatedModelSchema.parse>, weights: Float64Array): number {
  const dynamics = createDistressDynamics(profile);
  let ll = 0;
  for (let s = 0; s + 1 < c.seqStart.length; s++) {
    const history: { category: string; severity: number; atRisk: boolean; requestsEnd: boolean }[] = [];
    const transcript: { role: 'user' | 'assistant'; vetoNotice?: string }[] = [];
    for (let i = c.seqStart[s] as number; i < (c.seqStart[s + 1] as number); i++) {
      history.push({ category: categories[c.stepCat[i] as number] as string, severity: c.stepSev[i] as number, atRisk: false, requestsEnd: false });
      transcript.push({ role: 'user' });
      const d = latentDistress(dynamics, history, transcript);
      const o = c.stepObs[i] as number;
      const x = o >= 0 ? (c.obsDistress[o] as number) : Number.NaN;
      const w = weights[c.seqUser[s] as number] as number;
      const sd = Math.max(profile.noise, 1e-4);
      if (!Number.isNaN(x) && w > 0) {
        ll += w * (x <= 0 ? logPhi(-d / sd) : x >= 1 ? logPhi((d - 1) / sd) : -0.5 * ((x - d) / sd) ** 2 - Math.log(sd * Math.sqrt(2 * Math.PI)));
      }
      transcript.push(c.stepVeto[i] === 1 ? { role: 'assistant', vetoNotice: 'vetoed' } : { role: 'assistant' });
    }
  }
  return ll;
}
