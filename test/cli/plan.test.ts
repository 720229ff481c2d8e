/** `welfare-sim plan` as a real process, on a real pilot run. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture } from '../support/run-fixture.ts';

let runDir = '';
beforeAll(async () => {
  runDir = (await runFixture('test/fixtures/experiments/small.yaml')).runDir;
});

describe('welfare-sim plan', () => {
  it('prints users and repetitions per policy with the ICC the pilot measured', async () => {
    const result = await runWelfareSim(['plan', runDir, '--metric', 'appropriateEndRate', '--difference', '0.2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan for appropriateEndRate: detect a difference of 20.0% between two policies');
    expect(result.stdout).toMatch(/ICC/);
    expect(result.stdout).toMatch(/^last-resort\[minRedirects=1\]\s+balanced\s+4 × 3\.0\s+83\.3%\s+\d\.\d{3}/m);
  });

  it('answers in JSON too', async () => {
    const result = await runWelfareSim(['plan', runDir, '--metric', 'distressExposure', '--width', '1', '--json']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { arms: { options: { users: number }[] }[] };
    expect(plan.arms).toHaveLength(12);
    expect(plan.arms.every((a) => a.options.every((o) => o.users >= 1))).toBe(true);
  });

  it('exits 2 with one line on bad input', async () => {
    const cases: [string[], string][] = [
      [['--metric', 'nope', '--width', '0.1'], '--metric: expected one of appropriateEndRate, falseEndRate, atRiskEndRate, userRequestHonouredRate, distressExposure, vetoedEnds, found "nope"\n'],
      [['--difference', '0.1', '--width', '0.1'], 'plan: expected exactly one of --difference D or --width W, found both\n'],
      [['--difference', '1.5'], '--difference: expected a number above 0 and at most 1, found "1.5"\n'],
    ];
    for (const [args, stderr] of cases) {
      const result = await runWelfareSim(['plan', runDir, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(stderr);
    }
    const missing = await runWelfareSim(['plan', `${runDir}-missing`, '--width', '0.1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
