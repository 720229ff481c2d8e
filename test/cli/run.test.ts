/**
 * `welfare-sim run` as a real process: the JSON summary, bad input that leaves nothing behind, and Ctrl-C followed
 * by --resume.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptWhen } from '../support/wait-until.ts';
import { PROJECT_ROOT, runWelfareSim } from '../support/cli-process.ts';
import { readRunFile, tempDir } from '../support/run-fixture.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

describe('welfare-sim run', () => {
  it('prints a JSON summary and writes a complete run directory', async () => {
    const runsDir = tempDir();
    const result = await runWelfareSim(['run', SMALL, '--runs-dir', runsDir, '--json', '--no-report']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { runDir: string; conversations: number; errored: number; status: string };
    expect(summary).toEqual({ runDir: expect.stringMatching(new RegExp(`^${runsDir}/small/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z$`)), conversations: 324, errored: 0, status: 'complete' });
    expect(readdirSync(summary.runDir).sort()).toEqual(['conversations.jsonl', 'events.jsonl', 'manifest.json', 'metrics.json']);
    const manifest = JSON.parse(readRunFile(summary.runDir, 'manifest.json'));
    expect(manifest).toMatchObject({ formatVersion: 1, experiment: 'small', status: 'complete', planned: 324, gridSize: 324, counts: { completed: 324, errored: 0 } });
    expect(manifest.configHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [
      'a reference to a policy that does not exist',
      (dir: string) => {
        const file = join(dir, 'exp.yaml');
        mkdirSync(join(dir, 'policies'));
        for (const policy of ['eager', 'last-resort', 'never-end']) copyFileSync(`experiments/policies/${policy}.yaml`, join(dir, 'policies', `${policy}.yaml`));
        const shipped = resolve(PROJECT_ROOT, 'experiments');
        const text = readFileSync(SMALL, 'utf8').replace('never-end]', 'never-ends]').replace('../../../experiments/policies', 'policies').replaceAll('../../../experiments', shipped);
        writeFileSync(file, text);
        return [file, `${file}: policies.2: expected one of the policies in ${join(dir, 'policies')} (eager, last-resort, never-end) or the shipped ones in experiments/policies (eager, hybrid, last-resort, last-resort-unprotected, never-end, patient, …), found "never-ends"; did you mean "never-end"?\n`];
      },
    ],
    [
      'a missing experiment file',
      (dir: string) => [join(dir, 'nope.yaml'), `${join(dir, 'nope.yaml')}: file not found\n`],
    ],
  ])('exits 2 on %s and leaves no run directory', async (_name, make) => {
    const dir = tempDir();
    const [file, stderr] = make(dir);
    const runsDir = join(dir, 'runs');
    const result = await runWelfareSim(['run', file as string, '--runs-dir', runsDir]);
    expect(result).toEqual({ code: 2, stdout: '', stderr });
    expect(existsSync(runsDir)).toBe(false);
  });

  it('exits 2 on a bad --shard, naming the flag', async () => {
    const runsDir = tempDir();
    const result = await runWelfareSim(['run', SMALL, '--shard', '5/4', '--runs-dir', runsDir]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: '--shard: expected I/N with 1 <= I <= N (e.g. 2/4), found "5/4"\n' });
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('stops cleanly on Ctrl-C and --resume finishes with the same records as an uninterrupted run', async () => {
    const dir = tempDir();
    const interrupted = join(dir, 'interrupted');
    const child = spawn('node', ['bin/welfare-sim.js', 'run', 'test/fixtures/experiments/medium.yaml', '--out', interrupted, '--no-report', '--threads', '1'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Interrupt once the first records are on disk (~10% of the grid): the look happens while the run is frozen, so a
    // fast machine cannot finish between the look and the Ctrl-C.
    const conversations = join(interrupted, 'conversations.jsonl');
    await interruptWhen(child, () => existsSync(conversations) && statSync(conversations).size >= 20_000, 'the first 20 kB of conversations.jsonl');
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(130);
    expect(stderr).toMatch(new RegExp(`^Interrupted: \\d+ of 4320 conversations done\\.\\nFinish with: welfare-sim run --resume ${interrupted}\\n$`));
    expect(JSON.parse(readRunFile(interrupted, 'manifest.json')).status).toBe('interrupted');

    const resumed = await runWelfareSim(['run', '--resume', interrupted, '--json', '--no-report']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ conversations: 4320, errored: 0, status: 'complete' });
    const whole = join(dir, 'whole');
    expect((await runWelfareSim(['run', 'test/fixtures/experiments/medium.yaml', '--out', whole, '--json', '--no-report'])).code).toBe(0);
    expect(readRunFile(interrupted, 'conversations.jsonl')).toBe(readRunFile(whole, 'conversations.jsonl'));
    expect(readRunFile(interrupted, 'metrics.json')).toBe(readRunFile(whole, 'metrics.json'));
  });
});
