/**
 * The crash test with a real model: `welfare-sim run experiments/live-claude.yaml` (40 Claude conversations with
 * probe and judge, through the real SDK) against the loopback server injecting faults into ~30% of requests,
 * SIGKILLed at 8 seeded moments in a chain of `--resume`s, then completed. Nothing lost, nothing duplicated,
 * nothing errored, and the records and metrics equal an uninterrupted run's (with its own cache) byte for byte.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { readRunFile, tempDir } from '../support/run-fixture.ts';
import { faultyClaude, type FaultCounter } from './faulty-claude.ts';
import { expectOnlyTrueRecords, killMoments, recordsByIndex, runAndKill } from './kill-run.ts';

const EXPERIMENT = 'experiments/live-claude.yaml';
const KILLS = 8;

let server: FakeAnthropicServer;
let env: Record<string, string>;
const counter: FaultCounter = { requests: 0, faults: 0 };

beforeAll(async () => {
  server = await FakeAnthropicServer.start({ latencyMs: 5 });
  server.respondWith(faultyClaude('crash-claude', 0.33, counter));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_'))) as Record<string, string>;
  env = { ...inherited, ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
});
afterAll(async () => {
  await server.close();
});

const sortedLines = (text: string): string[] => text.split('\n').filter((line) => line.length > 0).sort();

describe('SIGKILL a Claude run under 30% faults, then --resume', { timeout: 200_000 }, () => {
  it('loses, duplicates and errors nothing; records and metrics equal an uninterrupted run', async () => {
    const root = tempDir();
    const reference = join(root, 'reference');
    const whole = await runAndKill(['run', EXPERIMENT, '--runs-dir', join(root, 'runs-reference'), '--out', reference, '--no-report', '--json'], { runDir: reference, moment: null, fullSizes: {}, env });
    expect(whole.stderr).toBe('');
    expect(JSON.parse(whole.stdout)).toEqual({ runDir: reference, conversations: 40, errored: 0, status: 'complete' });
    const faultShare = counter.faults / counter.requests;
    expect(faultShare).toBeGreaterThan(0.25);
    expect(faultShare).toBeLessThan(0.35);

    const records = recordsByIndex(readRunFile(reference, 'conversations.jsonl'));
    const fullSizes = Object.fromEntries(['conversations.jsonl', 'events.jsonl'].map((file) => [file, statSync(join(reference, file)).size]));
    const runDir = join(root, 'crashed');
    const runsDir = join(root, 'runs-crashed');
    let args = ['run', EXPERIMENT, '--runs-dir', runsDir, '--out', runDir, '--no-report', '--json'];
    let landed = 0;
    for (const moment of killMoments('crash-claude', KILLS, 4000)) {
      const ended = await runAndKill(args, { runDir, moment, fullSizes, env });
      if (ended.killed) landed += 1;
      else expect(ended, `exited before the kill at ${JSON.stringify(moment)}`).toMatchObject({ code: 0, stderr: '' });
      expectOnlyTrueRecords(runDir, records);
      args = ['run', '--resume', runDir, '--runs-dir', runsDir, '--no-report', '--json'];
    }
    const last = await runAndKill(args, { runDir, moment: null, fullSizes, env });
    expect(last.stderr).toBe('');
    expect(JSON.parse(last.stdout)).toEqual({ runDir, conversations: 40, errored: 0, status: 'complete' });
    // A kill can come after a nearly finished resume has already completed; most must strike a running process.
    expect(landed).toBeGreaterThanOrEqual(KILLS / 2);

    expect(readRunFile(runDir, 'conversations.jsonl')).toBe(readRunFile(reference, 'conversations.jsonl'));
    expect(readRunFile(runDir, 'metrics.json')).toBe(readRunFile(reference, 'metrics.json'));
    // Conversations finish in any order under concurrency: the same events, conversation by conversation.
    expect(sortedLines(readRunFile(runDir, 'events.jsonl'))).toEqual(sortedLines(readRunFile(reference, 'events.jsonl')));
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { status: string; counts: unknown };
    expect(manifest).toMatchObject({ status: 'complete', counts: { completed: 40, errored: 0 } });
  });
});
