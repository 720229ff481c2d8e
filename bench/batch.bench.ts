/**
 * Batch-mode throughput against the loopback server: live-claude.yaml grown to `--repetitions` seeds (default 10,
 * i.e. 200 Claude conversations with probe and judge) run with `--batch`, the fake batches ending as soon as they
 * are polled. Measures what batch mode itself costs — the rounds, not the API's processing time: conversations
 * per second, batches, and requests per batch (how full the lock-step rounds are). Not part of `npm test`.
 *
 *   npx tsx bench/batch.bench.ts [--repetitions 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { FakeBatches } from '../test/fake-anthropic/batches.ts';
import { scriptedClaude } from '../test/fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../test/fake-anthropic/server.ts';

const at = process.argv.indexOf('--repetitions');
const repetitions = at > 0 ? Number(process.argv[at + 1]) : 10;
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'welfare-sim-batch-bench-'));
const server = await FakeAnthropicServer.start();
server.respondWith(scriptedClaude());
const batches = await FakeBatches.attach(server, { respond: scriptedClaude(), pollsUntilEnded: 0 });

try {
  const experiment = parse(readFileSync(join(root, 'experiments/live-claude.yaml'), 'utf8')) as Record<string, unknown>;
  const file = join(work, 'batch-bench.yaml');
  const folders = ['scenarios', 'personas', 'policies', 'models'];
  writeFileSync(file, stringify({ ...experiment, name: 'batch-bench', repetitions, paths: Object.fromEntries(folders.map((f) => [f, join(root, 'experiments', f)])) }));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_')));
  const env = { ...inherited, ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
  const started = performance.now();
  const stdout = await new Promise<string>((done, fail) => {
    const child = spawn('node', ['bin/welfare-sim.js', 'run', file, '--batch', '--runs-dir', join(work, 'runs'), '--out', join(work, 'run'), '--no-report', '--json'], { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`run --batch exited ${code}: ${err}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  const { conversations, errored } = JSON.parse(stdout) as { conversations: number; errored: number };
  const sizes = batches.batches.map((b) => b.requests.length);
  const result = {
    conversations,
    errored,
    seconds: Number(seconds.toFixed(2)),
    conversationsPerSecond: Number((conversations / seconds).toFixed(1)),
    batches: sizes.length,
    requests: sizes.reduce((a, b) => a + b, 0),
    meanRequestsPerBatch: Number((sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length)).toFixed(1)),
    largestBatch: Math.max(0, ...sizes),
    singleMessagesCalls: server.messageRequests.length,
  };
  console.log(`batch mode: ${conversations} conversations in ${result.seconds} s (${result.conversationsPerSecond}/s), ${result.batches} batches, ${result.meanRequestsPerBatch} requests per batch (largest ${result.largestBatch})`);
  console.log(JSON.stringify(result));
} finally {
  await batches.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
