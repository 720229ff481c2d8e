/**
 * Small snags a new researcher met: a folder of runs where one run belongs, a misspelt baseline, a progress bar that
 * stood at 100% while the report was written, and a resumed run that claimed to have run everything itself.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ranLine } from '../../src/cli/commands/run.ts';
import { PROJECT_ROOT, runWelfareSim } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

/** Runs a command line in a pseudo-terminal (util-linux `script`), as a researcher's terminal would; with a deadline. */
function inTerminal(command: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_ROOT, timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout.replace(/\r/g, '') });
    });
  });
}

describe('run in a terminal, then report and compare on the folder of runs', () => {
  it('says it is writing the report after the bar, and suggests the latest run for the folder', async () => {
    const runsDir = tempDir();
    const result = await inTerminal(`node bin/welfare-sim.js run ${SMALL} --runs-dir ${runsDir}`);
    expect(result.code).toBe(0);
    const writing = result.output.indexOf('Writing the report (charts and report.html)…');
    expect(writing).toBeGreaterThan(result.output.lastIndexOf('324/324 conversations'));
    expect(result.output.indexOf('Report: ')).toBeGreaterThan(writing);
    expect(result.output).toContain('Ran 324 conversations (0 errored)');

    const folder = join(runsDir, 'small');
    const report = await runWelfareSim(['report', folder]);
    expect(report).toEqual({
      code: 2,
      stdout: '',
      stderr: `${folder}: expected a run directory holding manifest.json and conversations.jsonl, found neither or only one; did you mean ${folder}/latest (the newest run)?\n`,
    });
    const compare = await runWelfareSim(['compare', folder]);
    expect(compare.stderr).toBe(`${folder}/manifest.json: expected a run directory with a manifest.json, found no such file; did you mean ${folder}/latest (the newest run)?\n`);
    const baseline = await runWelfareSim(['compare', `${folder}/latest`, '--baseline', 'lastresort']);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/^--baseline: expected one of the policies in .* found "lastresort"; did you mean "last-resort\[minRedirects=1\]"\? \(one of the 2 sweep variants of last-resort\)\n$/);
  }, 180_000);
});

describe('the line a run ends with', () => {
  it('counts what this invocation ran, apart from what a resumed run had done before', () => {
    expect(ranLine(920, 0, 0, 3.5)).toBe('Ran 920 conversations (0 errored) in 3.5 s.\n');
    expect(ranLine(5500, 2, 1909, 12.25)).toBe('Ran 3591 conversations in 12.3 s; with the 1909 done before, the run has all 5500 (2 errored).\n');
  });
});
