/**
 * `welfare-sim run experiments/live-claude.yaml --batch` as a real process against the loopback server's Message
 * Batches endpoints: the same records and metrics as a run of single calls, no single Messages call at all; and a
 * SIGKILL while a batch is being polled, then `--resume`, re-attaches to that batch — no request is submitted twice.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBatches } from '../../fake-anthropic/batches.ts';
import { scriptedClaude } from '../../fake-anthropic/scripted-claude.ts';
import { waitUntil } from '../../support/wait-until.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { runAndKill } from '../../scale/kill-run.ts';
import { tempDir } from './setup.ts';

let server: FakeAnthropicServer;
let batches: FakeBatches;
let env: Record<string, string>;
/** Batch number 3 answers `in_progress` once: the client then waits out its first poll interval (5 s). */
const HELD_BATCH = 3;

beforeAll(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith(scriptedClaude());
  batches = await FakeBatches.attach(server, { respond: scriptedClaude(), pollsUntilEnded: (n) => (n === HELD_BATCH ? 1 : 0) });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_'))) as Record<string, string>;
  env = { ...inherited, FORCE_COLOR: '0', ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
});
afterAll(async () => {
  await batches.close();
  await server.close();
});

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/welfare-sim.js', ...args], { env }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const file = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
/** The ledger's batch lines (it also holds a line of intent before each creation). */
const batchLines = (dir: string): { batch: string }[] =>
  file(dir, 'batches.jsonl')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { batch?: string })
    .filter((entry): entry is { batch: string } => entry.batch !== undefined);

describe('run --batch', { timeout: 180_000 }, () => {
  it('runs in batch rounds with the records of single calls, and a kill mid-batch re-attaches on --resume', async () => {
    const root = tempDir();
    const single = join(root, 'single');
    const direct = await cli(['run', 'experiments/live-claude.yaml', '--runs-dir', join(root, 'runs-single'), '--out', single, '--no-report', '--json']);
    expect(JSON.parse(direct.stdout)).toMatchObject({ conversations: 40, errored: 0, status: 'complete' });
    const singleCalls = server.messageRequests.length;
    expect(singleCalls).toBeGreaterThan(0);

    const batched = join(root, 'batched');
    const runsDir = join(root, 'runs-batched');
    const ledger = join(batched, 'batches.jsonl');
    const ledgerLines = (): number => (existsSync(ledger) ? batchLines(batched).length : 0);
    // Kill once the held batch is in the ledger and has been polled once (the client is waiting to poll again).
    const held = (): boolean => ledgerLines() > HELD_BATCH && (batches.batches[HELD_BATCH]?.polls ?? 0) >= 1;
    const killed = await runAndKill(['run', 'experiments/live-claude.yaml', '--batch', '--runs-dir', runsDir, '--out', batched, '--no-report', '--json'], {
      runDir: batched,
      moment: { kind: 'when', ready: held },
      fullSizes: {},
      env,
    });
    expect(killed.killed).toBe(true);
    expect(batches.batches[HELD_BATCH]?.results).toBeNull();

    const resumed = await cli(['run', '--resume', batched, '--batch', '--runs-dir', runsDir, '--no-report', '--json']);
    expect(resumed.stderr).toBe('');
    expect(JSON.parse(resumed.stdout)).toMatchObject({ conversations: 40, errored: 0, status: 'complete' });
    expect(server.messageRequests.length).toBe(singleCalls);
    expect(batches.submitted.length).toBe(new Set(batches.submitted).size);
    // The held batch was collected by the resumed process: re-attached, not submitted again.
    expect(batches.batches[HELD_BATCH]?.results).not.toBeNull();
    expect(batchLines(batched).length).toBe(batches.batches.length);
    expect(file(batched, 'conversations.jsonl')).toBe(file(single, 'conversations.jsonl'));
    expect(file(batched, 'metrics.json')).toBe(file(single, 'metrics.json'));
  });

  it('stops promptly on Ctrl-C while a batch is being polled, leaving the batch in the ledger', async () => {
    const slow = await FakeAnthropicServer.start();
    const held = await FakeBatches.attach(slow, { respond: scriptedClaude(), pollsUntilEnded: 1_000 });
    try {
      const out = join(tempDir(), 'interrupted');
      const child = spawn('node', ['bin/welfare-sim.js', 'run', 'experiments/live-claude.yaml', '--batch', '--runs-dir', tempDir(), '--out', out, '--no-report'], {
        env: { ...env, ANTHROPIC_BASE_URL: slow.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      await waitUntil(() => (held.batches[0]?.polls ?? 0) >= 1, 'the first poll of the batch');
      const pollsAtInterrupt = held.batches[0]?.polls ?? 0;
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      // Promptly, measured by what the client did rather than by a clock: after the first poll it waits out its poll
      // interval (5 s); interrupted in that wait, it exits without polling again.
      expect(held.batches[0]?.polls ?? 0).toBe(pollsAtInterrupt);
      expect(stderr).toContain(`Finish with: welfare-sim run --resume ${out}`);
      expect(batchLines(out)).toEqual([expect.objectContaining({ v: 1, batch: held.batches[0]?.id })]);
    } finally {
      await held.close();
      await slow.close();
    }
  });
});
