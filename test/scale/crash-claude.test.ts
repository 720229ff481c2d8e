/**
 * The crash test with a real model: `welfare-sim run experiments/live-claude.yaml` (40 Claude conversations with
 * probe and judge, through the real SDK) against the loopback server injecting faults into ~30% of requests,
 * SIGKILLed at 20 seeded moments in chains of `--resume`s, each run then completed. Nothing lost, nothing duplicated,
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
const KILLS = 20;

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
    // A chain of kills and resumes; when a resume finishes before its kill, the finished run is checked and the
    // next moments strike a new run (with its own cache, so it makes real calls again).
    let chain = 0;
    let runDir = '';
    let runsDir = '';
    let args: string[] = [];
    const startChain = (): void => {
      chain += 1;
      runDir = join(root, `crashed-${chain}`);
      runsDir = join(root, `runs-crashed-${chain}`);
      args = ['run', EXPERIMENT, '--runs-dir', runsDir, '--out', runDir, '--no-report', '--json'];
    };
    const expectFinished = (): void => {
      expect(readRunFile(runDir, 'conversations.jsonl')).toBe(readRunFile(reference, 'conversations.jsonl'));
      expect(readRunFile(runDir, 'metrics.json')).toBe(readRunFile(reference, 'metrics.json'));
      // Conversations finish in any order under concurrency: the same events, conversation by conversation.
      expect(sortedLines(readRunFile(runDir, 'events.jsonl'))).toEqual(sortedLines(readRunFile(reference, 'events.jsonl')));
      const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { status: string; counts: unknown };
      expect(manifest).toMatchObject({ status: 'complete', counts: { completed: 40, errored: 0 } });
    };
    startChain();
    let landed = 0;
    for (const moment of killMoments('crash-claude', KILLS, 2500)) {
      const ended = await runAndKill(args, { runDir, moment, fullSizes, env });
      if (ended.killed) {
        landed += 1;
        expectOnlyTrueRecords(runDir, records);
        args = ['run', '--resume', runDir, '--runs-dir', runsDir, '--no-report', '--json'];
      } else {
        expect(ended, `exited before the kill at ${JSON.stringify(moment)}`).toMatchObject({ code: 0, stderr: '' });
        expectFinished();
        startChain();
      }
    }
    const last = await runAndKill(args, { runDir, moment: null, fullSizes, env });
    expect(last.stderr).toBe('');
    expect(JSON.parse(last.stdout)).toEqual({ runDir, conversations: 40, errored: 0, status: 'complete' });
    expectFinished();
    // A resume that finishes before its kill lets its moment pass (that run is checked above); most must strike.
    expect(landed, `${landed} of ${KILLS} kills struck a running process, over ${chain} runs`).toBeGreaterThanOrEqual(15);
  });
});
