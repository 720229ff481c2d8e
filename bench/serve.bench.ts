/**
 * `npm run bench:serve`: 200 participants chatting at once with a study server over HTTP on loopback, on the
 * simulated model. A benchmark, not a timed test. The server runs in its own process (`welfare-sim serve`), as
 * in a study; each client consents, then sends its messages one after the other, timing each turn (request sent →
 * reply received). After Ctrl-C (SIGINT) the run directory is read back: every message a client sent and saw
 * acknowledged must be in events.jsonl (a turn or a blocked message), and every participant in
 * conversations.jsonl. Prints, as JSON on its last line: p50/p99/max turn latency, turns per second, turns sent,
 * turns recorded, turns lost. Target on this machine: p99 under 100 ms, zero lost.
 *
 * Participants pause between messages (--think-ms, mean 1000 ms, drawn uniformly from half to one and a half
 * times it, seeded) as people do; with --think-ms 0 every client sends its next message the moment it has the
 * reply, which measures throughput: then latency is queueing, about participants ÷ turns per second.
 *
 * Two phases on the same server, each with its own participants: `alone` (only the participants), then `flood`
 * (the same load while a client POSTs /join as fast as it can, 8 at a time, and a researcher page polls the session
 * feed every 2 s). Targets: p99 under 100 ms alone, under 250 ms during the flood.
 *
 * Options: --participants N (200), --turns N per participant (10), --think-ms N (1000).
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../src/core/rng.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const PARTICIPANTS = option('participants', 200);
const TURNS = option('turns', 10);
const THINK_MS = option('think-ms', 1000);
const MESSAGES = [
  'Can you help me plan a weekend in Lisbon?',
  'What should I cook for six people?',
  'I disagree, I think you are wrong about that.',
  'You are useless and stupid.',
  'Idiot. Useless junk.',
  'Thanks, that helps.',
  'Why is my printer offline?',
  'Please end this chat now.',
];

/** CPU time (user + system) a process has used, from /proc: independent of how busy the machine is. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * The clients share the machine's cores with the server, so they use Node's plain http client with keep-alive
 * (about a quarter of fetch's CPU per request) to disturb the measurement as little as possible.
 */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function post(url: string, body: unknown, json = true): Promise<number> {
  const payload = JSON.stringify(body);
  const type = json ? 'application/json' : 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': type, 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function getJson(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-bench-serve-'));
  const out = join(root, 'run');
  const server = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), 'bin/welfare-sim.js', 'serve', '--experiment', 'experiments/study-pilot.yaml', '--port', '0', '--links', String(2 * PARTICIPANTS), '--out', out], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  while (!stdout.includes('Press Ctrl-C to stop.')) await new Promise((resolve) => setTimeout(resolve, 50));
  const links = [...stdout.matchAll(/^Participant link: (\S+)\/s\/(\S+)$/gm)].map((m) => `${m[1]}/api/s/${m[2]}`);

  const researcherApi = (/^Researcher \(keep private\): (\S+)$/m.exec(stdout)?.[1] ?? '').replace('/r/', '/api/r/');
  const alone = await phase(links.slice(0, PARTICIPANTS), server.pid ?? 0, null);
  const flood = await phase(links.slice(PARTICIPANTS), server.pid ?? 0, { joinUrl: new URL('/join', links[0]).href, researcherApi });
  server.kill('SIGINT');
  const code = await exited;

  const events = readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
  const recorded = events.filter((e) => e.type === 'turn' || e.type === 'blocked').length;
  const conversations = readFileSync(join(out, 'conversations.jsonl'), 'utf8').trim().split('\n').length;
  rmSync(root, { recursive: true, force: true });
  agent.destroy();
  const sent = alone.turnsSent + flood.turnsSent;
  const failed = alone.failedRequests + flood.failedRequests;
  const result = {
    participants: links.length,
    turnsPerParticipant: TURNS,
    thinkMs: THINK_MS,
    alone,
    flood,
    turnsRecorded: recorded,
    lost: sent - recorded,
    conversationsRecorded: conversations,
    serverExit: code,
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.lost !== 0 || failed !== 0 || conversations !== links.length) process.exitCode = 1;
}

interface Flood {
  readonly joinUrl: string;
  readonly researcherApi: string;
}

/** Runs the participants (each consents, then sends its turns), with or without a join flood and a researcher. */
async function phase(links: readonly string[], serverPid: number, flood: Flood | null) {
  let done = false;
  let joins = 0;
  let polls = 0;
  let researcherBytes = 0;
  const background: Promise<void>[] = [];
  if (flood !== null) {
    // 8 joiners back to back (a 503 once the cap on unconsented visitors is reached is expected and counted).
    for (let i = 0; i < 8; i += 1) {
      background.push((async () => {
        while (!done) {
          await post(flood.joinUrl, {}, false);
          joins += 1;
        }
      })());
    }
    background.push((async () => {
      let version = 0;
      while (!done) {
        const { status, body } = await getJson(`${flood.researcherApi}/sessions?since=${version}`);
        if (status === 200) version = (JSON.parse(body) as { version: number }).version;
        researcherBytes += body.length;
        polls += 1;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    })());
  }
  const serverCpuAtStart = processCpuMs(serverPid);
  const clientCpuAtStart = process.cpuUsage();
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    links.map(async (api, participant) => {
      if ((await post(`${api}/consent`, {})) !== 200) failed += 1;
      const rng = createRng(`bench-serve|${participant}`);
      for (let turn = 0; turn < TURNS; turn += 1) {
        const pause = THINK_MS * (0.5 + rng.next());
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        const text = rng.pick(MESSAGES);
        const t0 = performance.now();
        const status = await post(`${api}/message`, { text });
        latencies.push(performance.now() - t0);
        if (status === 200) sent += 1;
        else failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await Promise.all(background);
  const serverCpuMs = processCpuMs(serverPid) - serverCpuAtStart;
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  latencies.sort((a, b) => a - b);
  return {
    turnsSent: sent,
    failedRequests: failed,
    joins,
    researcherPolls: polls,
    researcherBytes: researcherBytes,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number((latencies.at(-1) ?? NaN).toFixed(2)),
    turnsPerSecond: Math.round(sent / seconds),
    serverCpuMsPerTurn: Number((serverCpuMs / Math.max(1, sent)).toFixed(3)),
    clientCpuMsPerTurn: Number(((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, sent)).toFixed(3)),
  };
}

await main();
