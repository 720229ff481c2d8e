/**
 * Scaling out, measured: the threshold sweep grown to ~1,000,000 simulated conversations, run as 4 shards
 * (`welfare-sim run --shard I/4`, one after another, each with the whole machine as if on its own node) and joined
 * with `welfare-sim merge`. Prints per-shard and total throughput, the merge time and the merge's peak RSS
 * (measured on the child process by /usr/bin/time; target < 300 MB), then one JSON line. Not part of `npm test`.
 *
 *   npx tsx bench/scale.bench.ts                          # 1,001,000 conversations (about 12 GB of disk)
 *   npx tsx bench/scale.bench.ts --conversations 40000 --shards 4 --keep
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const target = flag('--conversations', 1_000_000);
const shards = flag('--shards', 4);
const keep = process.argv.includes('--keep');
const root = resolve(import.meta.dirname, '..');

interface Measured {
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

/** Runs the CLI as a child under /usr/bin/time, which reports the child's own peak RSS. */
function timedCli(args: readonly string[]): Promise<Measured> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-f', 'maxrss-kb=%M', 'node', 'bin/welfare-sim.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const rss = /maxrss-kb=(\d+)/.exec(stderr);
      if (code !== 0 || !rss) return fail(new Error(`welfare-sim ${args.join(' ')} exited ${code}:\n${stderr}`));
      done({ seconds: (performance.now() - started) / 1000, maxRssMb: Number(rss[1]) / 1024, stdout });
    });
  });
}

/** The shipped threshold sweep with enough repetitions for the target, its part folders made absolute. */
function writeExperiment(dir: string): string {
  const experiment = parse(readFileSync(join(root, 'experiments/threshold-sweep.yaml'), 'utf8')) as Record<string, unknown>;
  const perRepetition = 22 * 50; // 16 scenarios + 6 personas, 5 × 10 sweep points, one model and policy
  const folders = ['scenarios', 'personas', 'policies', 'models'];
  const file = join(dir, 'scale-sweep.yaml');
  writeFileSync(
    file,
    stringify({
      ...experiment,
      name: 'scale-sweep',
      repetitions: Math.max(1, Math.ceil(target / perRepetition)),
      paths: Object.fromEntries(folders.map((folder) => [folder, join(root, 'experiments', folder)])),
    }),
  );
  return file;
}

const work = mkdtempSync(join(tmpdir(), 'welfare-sim-scale-'));
try {
  const experiment = writeExperiment(work);
  const perShard: { shard: string; conversations: number; seconds: number; perSecond: number; maxRssMb: number }[] = [];
  for (let index = 1; index <= shards; index++) {
    const out = join(work, `shard-${index}`);
    const run = await timedCli(['run', experiment, '--shard', `${index}/${shards}`, '--out', out, '--no-report', '--json']);
    const conversations = (JSON.parse(run.stdout) as { conversations: number }).conversations;
    perShard.push({ shard: `${index}/${shards}`, conversations, seconds: round(run.seconds), perSecond: Math.round(conversations / run.seconds), maxRssMb: Math.round(run.maxRssMb) });
    console.log(`shard ${index}/${shards}: ${conversations} conversations in ${run.seconds.toFixed(1)} s (${Math.round(conversations / run.seconds)}/s, peak RSS ${Math.round(run.maxRssMb)} MB)`);
  }
  const merged = join(work, 'merged');
  const merge = await timedCli(['merge', ...perShard.map((_, i) => join(work, `shard-${i + 1}`)), '--out', merged, '--no-report', '--json']);
  const summary = JSON.parse(merge.stdout) as { conversations: number; eventsOrder: string };
  const conversations = perShard.reduce((sum, s) => sum + s.conversations, 0);
  const runSeconds = perShard.reduce((sum, s) => sum + s.seconds, 0);
  const bytes = statSync(join(merged, 'events.jsonl')).size + statSync(join(merged, 'conversations.jsonl')).size;
  const result = {
    conversations,
    shards,
    perShard,
    shardSecondsTotal: round(runSeconds),
    conversationsPerSecondRun: Math.round(conversations / runSeconds),
    mergeSeconds: round(merge.seconds),
    mergedConversations: summary.conversations,
    mergedGigabytes: round(bytes / 1e9),
    eventsOrder: summary.eventsOrder,
    conversationsPerSecondEndToEnd: Math.round(conversations / (runSeconds + merge.seconds)),
    mergePeakRssMb: Math.round(merge.maxRssMb),
    targets: { mergePeakRssMb: 300 },
  };
  console.log(`merge: ${summary.conversations} conversations (${result.mergedGigabytes} GB of records and events) in ${result.mergeSeconds} s, peak RSS ${result.mergePeakRssMb} MB`);
  console.log(`total: ${conversations} conversations; run ${result.conversationsPerSecondRun}/s, with merge ${result.conversationsPerSecondEndToEnd}/s`);
  console.log(JSON.stringify(result));
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
