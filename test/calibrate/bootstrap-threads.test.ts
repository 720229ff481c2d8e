/**
 * The bootstrap refits over worker threads (src/calibrate/bootstrap-pool.ts) give exactly the estimates and
 * intervals of one thread: the replicates are drawn in order before any refit, and each is refitted by the same code.
 * The worker is the real one (an esbuild bundle of bootstrap-worker.ts in this development checkout).
 */
import { describe, expect, it } from 'vitest';
import { fitProfile } from '../../src/calibrate/fit.ts';
import { compile } from '../../src/calibrate/likelihood.ts';
import { readCalibrationRuns } from '../../src/calibrate/read-runs.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import { runFixture } from '../support/run-fixture.ts';

describe('calibrate: bootstrap over threads', () => {
  it('gives the same estimates and intervals on two threads as on one', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration-probe.yaml', { threads: 1 });
    const data = await readCalibrationRuns([runDir]);
    const template = simulatedModelSchema.parse({ id: 'template', kind: 'simulated' });
    const fit = (threads: number) => fitProfile(compile(data), data.categories, template, { seed: 4, bootstrap: 5, threads });
    const [one, two] = [await fit(1), await fit(2)];
    expect(two.estimates).toEqual(one.estimates);
    // Intervals to compare: the bootstrap half of each joins the likelihood-ratio half.
    expect(one.estimates.filter((e) => e.low !== null).length).toBeGreaterThan(10);
  }, 180_000);
});
