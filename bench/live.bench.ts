/**
 * `npm run bench:live`: the Claude path against the loopback server with 200 ms latency per call. A benchmark,
 * not a timed test. Prints, as JSON on its last line:
 * - throughput: calls per second achieved through the gateway at concurrency 16 and 64, as a share of the ideal
 *   (concurrency ÷ latency); target ≥ 0.9; with the client's CPU time per call, which bounds the share on a
 *   machine whose cores are busy with other work;
 * - sweep: for a 10-value minRedirects sweep run end to end, model calls made ÷ distinct conversation prefixes
 *   (distinct request bodies; one repetition, so a body fixes its sample); target 1.0.
 */
import Anthropic from '@anthropic-ai/sdk';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { MessagesGateway } from '../src/anthropic/messages-gateway.ts';
import { DEFAULT_RETRY } from '../src/anthropic/retry.ts';
import { runExperiment } from '../src/runner/run-experiment.ts';
import { silentProgress } from '../src/runner/progress.ts';
import { NO_CACHE } from '../src/store/call-cache.ts';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const LATENCY_MS = 200;

interface Fake {
  readonly url: string;
  readonly apiKey: string;
  messages(): Promise<{ count: number; distinct: number }>;
  stop(): void;
}

/** The loopback server in its own process (as the real API is), so its work does not slow the client's. */
async function startFake(): Promise<Fake> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-anthropic/serve.ts', '--latency', String(LATENCY_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const { url, apiKey } = JSON.parse(line ?? '{}') as { url: string; apiKey: string };
  return {
    url,
    apiKey,
    messages: async () => {
      const response = await fetch(`${url}/_fake/messages`, { headers: { authorization: `Bearer ${apiKey}`, 'anthropic-version': 'bench' } });
      return (await response.json()) as { count: number; distinct: number };
    },
    stop: () => child.kill('SIGTERM'),
  };
}

async function throughput(server: Fake, concurrency: number, rounds: number) {
  const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  const gateway = new MessagesGateway({
    client,
    cache: NO_CACHE,
    concurrency,
    retry: DEFAULT_RETRY,
    price: { inputPerMTok: 3, outputPerMTok: 15 },
    apiKey: server.apiKey,
  });
  const batch = (from: number, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        gateway.create({
          params: { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: `call ${from + i}` }] },
          sample: String(from + i),
          purpose: 'bench',
        }),
      ),
    );
  // One round to open the connections and warm up, then the measured rounds.
  await batch(0, concurrency);
  const calls = concurrency * rounds;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await batch(concurrency, calls);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // The client's own CPU per call: on a shared machine, what limits the share when it falls short.
  const clientCpuMsPerCall = (used.user + used.system) / 1000 / calls;
  const perSecond = calls / seconds;
  const ideal = concurrency / (LATENCY_MS / 1000);
  return {
    concurrency,
    calls,
    seconds: round(seconds),
    callsPerSecond: round(perSecond),
    ideal,
    share: round(perSecond / ideal),
    clientCpuMsPerCall: round(clientCpuMsPerCall),
  };
}

async function sweep(server: Fake) {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-bench-live-'));
  const experiments = resolve('experiments');
  mkdirSync(join(root, 'models'));
  writeFileSync(join(root, 'models', 'claude-bench.yaml'), 'id: claude-bench\nkind: anthropic\nmodel: claude-sonnet-4-6\nendMechanism: tool\nconcurrency: 64\n');
  const rel = (folder: string) => relative(root, join(experiments, folder));
  writeFileSync(
    join(root, 'sweep.yaml'),
    [
      'name: live-sweep',
      'scenarios: [abusive-persistent-insults, harmful-weapons-persistent, benign-recipe, user-requests-end-polite]',
      'models: [claude-bench]',
      'policies: [last-resort]',
      'sweep: {minRedirects: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}',
      'concurrency: 64',
      `paths: {scenarios: ${rel('scenarios')}, personas: ${rel('personas')}, policies: ${rel('policies')}, models: models}`,
    ].join('\n') + '\n',
  );
  const before = await server.messages();
  const started = performance.now();
  const outcome = await runExperiment({
    experimentFile: join(root, 'sweep.yaml'),
    out: join(root, 'run'),
    runsDir: join(root, 'runs'),
    noCache: false,
    cacheDir: join(root, 'cache'),
    env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url },
    now: () => new Date(),
    progress: silentProgress,
    signal: new AbortController().signal,
  });
  const after = await server.messages();
  const callsMade = after.count - before.count;
  const distinct = after.distinct - before.distinct;
  return {
    conversations: outcome.manifest.counts.completed,
    errored: outcome.manifest.counts.errored,
    seconds: round((performance.now() - started) / 1000),
    callsMade,
    distinctPrefixes: distinct,
    callsPerPrefix: round(callsMade / distinct),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const server = await startFake();
try {
  const at16 = await throughput(server, 16, 20);
  console.error(`concurrency 16: ${at16.callsPerSecond} calls/s of ${at16.ideal} ideal (${(at16.share * 100).toFixed(1)}%)`);
  const at64 = await throughput(server, 64, 20);
  console.error(`concurrency 64: ${at64.callsPerSecond} calls/s of ${at64.ideal} ideal (${(at64.share * 100).toFixed(1)}%)`);
  const swept = await sweep(server);
  console.error(`sweep: ${swept.callsMade} calls for ${swept.distinctPrefixes} distinct prefixes over ${swept.conversations} conversations`);
  console.log(JSON.stringify({ latencyMs: LATENCY_MS, throughput: [at16, at64], sweep: swept, targets: { share: 0.9, callsPerPrefix: 1 } }));
} finally {
  server.stop();
}
