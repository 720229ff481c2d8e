/** The report and diagram commands as a user runs them: real process, exit codes, exact messages. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWelfareSim } from '../support/cli-process.ts';
import { writeFixtureRun } from './fixture-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('welfare-sim report', () => {
  it('writes the charts and the page and prints the page path', async () => {
    const runDir = writeFixtureRun(join(dir, 'run'));
    const result = await runWelfareSim(['report', runDir, '--no-png']);
    expect(result).toEqual({ code: 0, stdout: `${join(runDir, 'report.html')}\n`, stderr: '' });
    expect(existsSync(join(runDir, 'charts', 'end-outcomes.svg'))).toBe(true);
    expect(existsSync(join(runDir, 'charts', 'end-outcomes.png'))).toBe(false);
  });

  it('exits 2 with one line for a directory that is not a run, writing nothing', async () => {
    const result = await runWelfareSim(['report', join(dir, 'missing')]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `${join(dir, 'missing')}: expected a run directory holding manifest.json and conversations.jsonl, found neither or only one\n`,
    });
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('welfare-sim diagram', () => {
  it('prints Mermaid and writes SVG', async () => {
    const mermaid = await runWelfareSim(['diagram', '--format', 'mermaid']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.split('\n')[0]).toBe('stateDiagram-v2');
    const out = join(dir, 'diagram.svg');
    expect((await runWelfareSim(['diagram', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });

  it('exits 2 when a PNG would go to the terminal', async () => {
    expect(await runWelfareSim(['diagram', '--format', 'png'])).toEqual({
      code: 2,
      stdout: '',
      stderr: '--out: expected a file to write the PNG to (it is binary), found none\n',
    });
  });
});
