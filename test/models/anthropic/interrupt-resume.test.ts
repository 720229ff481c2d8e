/**
 * Ctrl-C in the middle of a Claude run stops cleanly, and `--resume` finishes it without paying again for the
 * calls already made: the finished run equals an uninterrupted one.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedClaude } from '../../fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { interruptWhen, waitUntil } from '../../support/wait-until.ts';
import { PROJECT_ROOT } from '../../support/cli-process.ts';
import { tempDir } from './setup.ts';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await FakeAnthropicServer.start({ latencyMs: 40 });
  server.respondWith(scriptedClaude());
});
afterAll(async () => {
  await server.close();
});

function start(args: readonly string[], cwd?: string): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANTHROPIC_')));
  const env = { ...base, FORCE_COLOR: '0', ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
  let child!: ChildProcess;
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child = execFile('node', [join(PROJECT_ROOT, 'bin/welfare-sim.js'), ...args], { env, cwd: cwd ?? PROJECT_ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
  return { child, done };
}

const lines = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

describe('interrupting a Claude run', { timeout: 120_000 }, () => {
  it('stops on SIGINT with the run resumable, and --resume completes it from the cache', async () => {
    const root = tempDir();
    const runsDir = join(root, 'runs');
    const out = join(runsDir, 'live-claude', 'interrupted');
    const first = start(['run', 'experiments/live-claude.yaml', '--runs-dir', runsDir, '--out', out, '--concurrency', '2', '--no-report']);
    await interruptWhen(first.child, () => lines(join(out, 'conversations.jsonl')) >= 4, 'four records on disk');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`Finish with: welfare-sim run --resume ${out}`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { status: string };
    expect(manifest.status).toBe('interrupted');
    const doneBefore = lines(join(out, 'conversations.jsonl'));
    expect(doneBefore).toBeLessThan(40);

    const callsBeforeResume = server.messageRequests.length;
    const resumed = await start(['run', '--resume', out, '--runs-dir', runsDir, '--json', '--no-report']).done;
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runDir: out, conversations: 40, errored: 0, status: 'complete' });
    const callsDuringResume = server.messageRequests.length - callsBeforeResume;
    // The manifest counts the whole run's calls (both processes), not only the resume's: every call the API served,
    // less at most the calls in flight when Ctrl-C came (answered by the server, abandoned by the client).
    const counted = Object.values((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, { calls: number }> }).modelCalls)
      .reduce((sum, stats) => sum + stats.calls, 0);
    const served = callsBeforeResume + callsDuringResume;
    expect(counted).toBeLessThanOrEqual(served);
    expect(counted).toBeGreaterThanOrEqual(served - 6);
    expect(counted).toBeGreaterThan(callsDuringResume + 6);

    // A run of the same experiment afterwards is all cache hits, and the resumed run equals it.
    const callsBeforeFresh = server.messageRequests.length;
    const fresh = join(runsDir, 'live-claude', 'fresh');
    await start(['run', 'experiments/live-claude.yaml', '--runs-dir', runsDir, '--out', fresh, '--json', '--no-report']).done;
    expect(server.messageRequests.length).toBe(callsBeforeFresh);
    const sorted = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
    expect(sorted(join(out, 'conversations.jsonl'))).toEqual(sorted(join(fresh, 'conversations.jsonl')));
    // The interrupted part and the resume together paid for each call once: as many calls as a run with an empty
    // cache makes, plus at most the calls in flight when SIGINT came (2 conversations × assistant, probe, judge).
    const callsBeforeEmpty = server.messageRequests.length;
    const elsewhere = join(root, 'other-runs');
    await start(['run', 'experiments/live-claude.yaml', '--runs-dir', elsewhere, '--out', join(elsewhere, 'x'), '--json', '--no-report']).done;
    const callsWithEmptyCache = server.messageRequests.length - callsBeforeEmpty;
    expect(callsBeforeResume + callsDuringResume).toBeGreaterThanOrEqual(callsWithEmptyCache);
    expect(callsBeforeResume + callsDuringResume).toBeLessThanOrEqual(callsWithEmptyCache + 6);
  });

  it('after a SIGKILL and --resume, the manifest counts the calls of both processes', async () => {
    const root = tempDir();
    const runsDir = join(root, 'runs');
    const out = join(runsDir, 'live-claude', 'killed');
    const servedBefore = server.messageRequests.length;
    const first = start(['run', 'experiments/live-claude.yaml', '--runs-dir', runsDir, '--out', out, '--concurrency', '2', '--no-report']);
    const conversations = join(out, 'conversations.jsonl');
    await waitUntil(() => {
      // Looked at while the run is frozen, so it cannot finish between the look and the kill.
      first.child.kill('SIGSTOP');
      const ready = lines(conversations) >= 4;
      first.child.kill(ready ? 'SIGKILL' : 'SIGCONT');
      return ready;
    }, 'four records on disk', { timeoutMs: 120_000, everyMs: 20 });
    await first.done;
    const resumed = await start(['run', '--resume', out, '--runs-dir', runsDir, '--json', '--no-report']).done;
    expect(JSON.parse(resumed.stdout)).toMatchObject({ conversations: 40, status: 'complete' });
    const served = server.messageRequests.length - servedBefore;
    const counted = Object.values((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, { calls: number }> }).modelCalls)
      .reduce((sum, stats) => sum + stats.calls, 0);
    // Every call answered before the kill was tallied as it happened; only the calls in flight at the kill are missing.
    expect(counted).toBeLessThanOrEqual(served);
    expect(counted).toBeGreaterThanOrEqual(served - 6);
  });

  it('--resume without --runs-dir uses the cache the run started with, so no call is paid twice', async () => {
    const root = tempDir();
    const runsDir = join(root, 'runs');
    const out = join(runsDir, 'live-claude', 'elsewhere');
    // The experiment by its absolute path: the resume below runs from another folder.
    const whole = await start(['run', join(PROJECT_ROOT, 'experiments/live-claude.yaml'), '--runs-dir', runsDir, '--out', out, '--json', '--no-report']).done;
    expect(whole.code).toBe(0);
    // Make the run resumable again by taking off its last 10 records (as an interruption would have left it).
    const file = join(out, 'conversations.jsonl');
    const kept = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 30);
    writeFileSync(file, kept.map((l) => `${l}\n`).join(''));
    const callsBefore = server.messageRequests.length;
    // From another folder, with no --runs-dir: the default ./runs/.cache there is empty.
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const resumed = await start(['run', '--resume', out, '--json', '--no-report'], elsewhere).done;
    expect(resumed.stderr).toBe('');
    expect(JSON.parse(resumed.stdout)).toMatchObject({ conversations: 40, status: 'complete' });
    expect(server.messageRequests.length).toBe(callsBefore);
  });
});
