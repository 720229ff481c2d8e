/**
 * The split of calls, tokens and cost between the models of one run is a function of what was billed, not of
 * timing: both Claude models of live-claude.yaml have judges that rate some identical replies, and one such call
 * is paid once (the cache shares it). Which model is charged for it must not depend on which asked first, so two
 * runs of the same experiment with different concurrency give the same manifest.modelCalls.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBatches } from '../../fake-anthropic/batches.ts';
import { scriptedClaude } from '../../fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { tempDir } from './setup.ts';

let server: FakeAnthropicServer;
let batches: FakeBatches;
let env: Record<string, string>;

beforeAll(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith(scriptedClaude());
  batches = await FakeBatches.attach(server, { respond: scriptedClaude(), pollsUntilEnded: 0 });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_'))) as Record<string, string>;
  env = { ...inherited, FORCE_COLOR: '0', ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
});
afterAll(async () => {
  await batches.close();
  await server.close();
});

function run(concurrency: number, batch = false): Promise<{ code: number; out: string; stderr: string }> {
  const root = tempDir();
  const out = join(root, 'run');
  const args = ['bin/welfare-sim.js', 'run', 'experiments/live-claude.yaml', '--runs-dir', join(root, 'runs'), '--out', out, '--no-report', '--json', '--concurrency', String(concurrency)];
  if (batch) args.push('--batch');
  return new Promise((done) => {
    execFile('node', args, { env }, (error, _stdout, stderr) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out, stderr }));
  });
}

type Calls = Record<string, { calls: number; cacheHits: number; inputTokens: number; outputTokens: number; estimatedCostUsd: number }>;
const modelCalls = (dir: string): Calls => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { modelCalls: Calls }).modelCalls;

describe('the per-model split of calls', { timeout: 300_000 }, () => {
  it('is the same whatever the concurrency, and sums to the requests the server answered', async () => {
    const before = server.messageRequests.length;
    const serial = await run(1);
    expect(serial.stderr).toBe('');
    const billedSerial = server.messageRequests.length - before;
    const parallel = await run(16);
    expect(parallel.stderr).toBe('');
    const billedParallel = server.messageRequests.length - before - billedSerial;
    const a = modelCalls(serial.out);
    const b = modelCalls(parallel.out);
    const total = (calls: Calls): number => Object.values(calls).reduce((sum, s) => sum + s.calls, 0);
    expect(total(a)).toBe(billedSerial);
    expect(total(b)).toBe(billedParallel);
    expect(b).toEqual(a);
  });

  it('is the same in batch mode whatever the concurrency, and sums to the requests the server billed', async () => {
    const serial = await run(1, true);
    expect(serial.stderr).toBe('');
    const billedSerial = batches.submitted.length;
    const parallel = await run(40, true);
    expect(parallel.stderr).toBe('');
    const billedParallel = batches.submitted.length - billedSerial;
    const total = (calls: Calls): number => Object.values(calls).reduce((sum, s) => sum + s.calls, 0);
    expect(total(modelCalls(serial.out))).toBe(billedSerial);
    expect(total(modelCalls(parallel.out))).toBe(billedParallel);
    expect(modelCalls(parallel.out)).toEqual(modelCalls(serial.out));
  });
});
