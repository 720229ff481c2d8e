/**
 * Proof that nothing is lost: real `welfare-sim run` processes on the medium experiment (4,320 conversations) are
 * SIGKILLed at 20 seeded moments — two chains of ten kills (early in a process's life, or at seeded, increasing
 * points of the run), one with --threads 1 and one with --threads 2;
 * within a chain every kill strikes the `--resume` that follows the previous kill — and a last `--resume` completes
 * each run. After every kill the records on disk are whole records of the uninterrupted run, none twice; at the end
 * conversations.jsonl, metrics.json and events.jsonl equal the uninterrupted run's byte for byte.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRunFile, runFixture, tempDir } from '../support/run-fixture.ts';
import { ascendingKillMoments, expectOnlyTrueRecords, recordsByIndex, runAndKill } from './kill-run.ts';

const MEDIUM = 'test/fixtures/experiments/medium.yaml';
const KILLS_PER_CHAIN = 10;
const CHAINS = [
  { threads: 1, seed: 'crash-chain-a' },
  { threads: 2, seed: 'crash-chain-b' },
];

let reference: string;
let records: Map<number, string>;
let fullSizes: Record<string, number>;

beforeAll(async () => {
  reference = (await runFixture(MEDIUM, { threads: 1 })).runDir;
  records = recordsByIndex(readRunFile(reference, 'conversations.jsonl'));
  fullSizes = Object.fromEntries(['conversations.jsonl', 'events.jsonl'].map((file) => [file, statSync(join(reference, file)).size]));
});

describe('SIGKILL at seeded moments, then --resume', { timeout: 200_000 }, () => {
  it.each(CHAINS)('loses and duplicates nothing with --threads $threads (seed $seed)', async ({ threads, seed }) => {
    const runDir = join(tempDir(), 'crashed');
    const moments = ascendingKillMoments(seed, KILLS_PER_CHAIN);
    let args = ['run', MEDIUM, '--out', runDir, '--threads', String(threads), '--no-report', '--json'];
    let landed = 0;
    for (const moment of moments) {
      const ended = await runAndKill(args, { runDir, moment, fullSizes });
      if (!ended.killed) expect(ended, `exited before the kill at ${JSON.stringify(moment)}`).toMatchObject({ code: 0, stderr: '' });
      if (ended.killed) landed += 1;
      expectOnlyTrueRecords(runDir, records);
      args = ['run', '--resume', runDir, '--threads', String(threads), '--no-report', '--json'];
    }
    const last = await runAndKill(args, { runDir, moment: null, fullSizes });
    expect(last.stderr).toBe('');
    expect(JSON.parse(last.stdout)).toEqual({ runDir, conversations: 4320, errored: 0, status: 'complete' });

    const finished = readRunFile(runDir, 'conversations.jsonl').split('\n').filter((line) => line.length > 0);
    expect(finished.length).toBe(4320);
    expect(new Set(finished.map((line) => (JSON.parse(line) as { index: number }).index)).size).toBe(4320);
    for (const file of ['conversations.jsonl', 'metrics.json', 'events.jsonl']) expect(readRunFile(runDir, file) === readRunFile(reference, file), file).toBe(true);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { status: string; counts: unknown };
    expect(manifest).toMatchObject({ status: 'complete', counts: { completed: 4320, errored: 0 } });
    // Kill points ascend through the run, so nearly every kill must strike a running process.
    expect(landed).toBeGreaterThanOrEqual(KILLS_PER_CHAIN - 2);
  });
});
