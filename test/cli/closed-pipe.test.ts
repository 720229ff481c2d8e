/**
 * `welfare-sim compare … --json | head`: the reader closes the pipe after a line; the CLI stops quietly, exit 0,
 * nothing on stderr (it used to die on an unhandled EPIPE with a stack trace).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { runFixture } from '../support/run-fixture.ts';

function firstLineThenClose(args: readonly string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  const child = spawn('node', [resolve(PROJECT_ROOT, 'bin/welfare-sim.js'), ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let first = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once('data', (chunk: Buffer) => {
    first = chunk.toString().split('\n')[0] ?? '';
    child.stdout.destroy(); // what `head -1` does once it has its line
  });
  return new Promise((done, fail) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('welfare-sim did not stop within 60 s of the pipe closing'));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(deadline);
      done({ code, first, stderr });
    });
  });
}

describe('a closed stdout pipe', () => {
  it('stops compare --json quietly', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/small.yaml');
    // 40 copies of the run: far more JSON than a pipe buffer holds, so writes are still pending when it closes.
    const result = await firstLineThenClose(['compare', ...Array.from({ length: 40 }, () => runDir), '--json']);
    expect(result).toEqual({ code: 0, first: '{', stderr: '' });
  }, 120_000);
});
