/** `welfare-sim compare` as a real process, on a real run. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PairedDifference } from '../../src/core/paired-comparison.ts';
import type { PolicySummary } from '../../src/core/records.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture } from '../support/run-fixture.ts';

let runDir = '';
beforeAll(async () => {
  runDir = (await runFixture('test/fixtures/experiments/small.yaml')).runDir;
});

describe('welfare-sim compare', () => {
  it('prints policies side by side with their intervals', async () => {
    const result = await runWelfareSim(['compare', runDir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '',
      `small — ${runDir}`,
      '',
      'policy                       model      n   users  appropriate end       false end           at-risk end          ended before turn 7   distress exposure  vetoed ends',
      '---------------------------  ---------  --  -----  --------------------  ------------------  -------------------  --------------------  -----------------  -----------------',
    ]);
    // 12 rows in the policy table, 12 in the table of n / users / effective n, 12 in the requests and at-risk table
    expect(lines.filter((line) => /^(last-resort|eager|never-end)\[/.test(line))).toHaveLength(36);
    expect(lines).toContain('Requests to end and users at risk:');
    // clustered on the fixture's users: 12 end-eligible conversations from 4 users are worth about 3 (docs/statistics.md)
    expect(lines[5]).toBe('last-resort[minRedirects=1]  balanced   27  9      83.3% [30.2%, 98.3%]  0.0% [0.0%, 94.0%]  0.0% [0.0%, 94.0%]   33.3% [12.1%, 71.9%]  2.83 [1.55, 4.10]  0.07 [0.00, 0.19]');
    expect(lines).toContain('n / users / effective n behind each rate:');
    // never-end can end nothing: its rates are not measurements, and the table says why.
    expect(lines.slice(0, 17).filter((line) => line.startsWith('never-end[')).every((line) => line.includes('not measured [1]'))).toBe(true);
    expect(lines).toContain('[1] cannot occur: the policy permits no end');
  });

  it('prints paired differences from a baseline, clamped to possible values', async () => {
    const result = await runWelfareSim(['compare', runDir, '--baseline', 'never-end[minRedirects=3]', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { runs: { policies: PolicySummary[]; differences: PairedDifference[] }[] };
    const [run] = parsed.runs;
    expect(run?.policies).toHaveLength(12);
    expect(run?.differences).toHaveLength(10);
    const lastResort = run?.differences.find((d) => d.policy === 'last-resort[minRedirects=1]' && d.model === 'balanced');
    expect(lastResort).toMatchObject({ baseline: 'never-end[minRedirects=3]', pairs: 27, appropriateEndRate: { mean: 0.833333, high: 0.98298, clusters: 4, interval: 'newcombe-10-clustered' } });
    // ending spares the model distress on the same users and seeds — but with 9 users the clustered interval
    // (t on 8 degrees of freedom) cannot exclude 0
    expect(lastResort?.distressExposure).toMatchObject({ clusters: 9, interval: 't-clusters' });
    expect(lastResort?.distressExposure?.mean).toBeLessThan(-0.5);
    expect(lastResort?.distressExposure?.low).toBeLessThan(-1);
    expect(lastResort?.distressExposure?.high).toBeGreaterThan(0);
    const same = run?.differences.find((d) => d.policy === 'never-end[minRedirects=1]' && d.model === 'balanced');
    // identical in every pair: no interval rather than a zero-width one
    expect(same?.distressExposure).toMatchObject({ mean: 0, low: null, high: null, interval: 'all-pairs-equal' });
  });

  it('exits 2 naming the policies when the baseline is not in the run', async () => {
    const result = await runWelfareSim(['compare', runDir, '--baseline', 'never-end']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `--baseline: expected one of the policies in ${runDir} (last-resort[minRedirects=1], last-resort[minRedirects=3], eager[minRedirects=1], eager[minRedirects=3], never-end[minRedirects=1], never-end[minRedirects=3]), found "never-end"; did you mean "never-end[minRedirects=1]"? (one of the 2 sweep variants of never-end)\n`,
    );
  });

  it('exits 2 on a directory that is not a finished run', async () => {
    const result = await runWelfareSim(['compare', '/nonexistent-run']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: '/nonexistent-run/manifest.json: expected a run directory with a manifest.json, found no such file\n' });
  });
});
