import { describe, expect, it } from 'vitest';
import { runWelfareSim } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';

describe('run --threads', () => {
  it('says so when --trace keeps the run in one thread, and the run still completes', async () => {
    const out = `${tempDir()}/run`;
    const result = await runWelfareSim(['run', 'test/fixtures/experiments/small.yaml', '--out', out, '--trace', '--threads', '2', '--no-report']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: --threads 2 is ignored with --trace: the inspection events are recorded in one thread');
  });

  it('says nothing when the threads are used', async () => {
    const out = `${tempDir()}/run`;
    const result = await runWelfareSim(['run', 'test/fixtures/experiments/small.yaml', '--out', out, '--threads', '2', '--no-report']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('note:');
  });
});
