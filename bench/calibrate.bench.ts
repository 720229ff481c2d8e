/**
 * `npx tsx bench/calibrate.bench.ts [--turns N] [--bootstrap B]`: `calibrate` on a recorded run of about N turns
 * (default 100,000) of the balanced profile, with the CLI's default 50 bootstrap replicates unless told. Prints the
 * run's turns, the fit's wall time, its CPU time (all threads: the bootstrap refits on two), peak RSS (recording
 * included) and the 1-minute load average when it finished, since a shared machine's wall time says as much about
 * the other jobs as about this one; the last line is JSON. Target (issue 10): under 60 s on 100,000 turns on a
 * 2-core machine. Measured (129,534 turns, 50 replicates): before the prefix tree, the pattern compression and the
 * threads, 97.4 s in an earlier measurement, 60.8 s (61.7 s CPU) at load 1–5 and 350 s at load 15; after, see README.md,
 * "Benchmarks".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { calibrate } from '../src/calibrate/calibrate.ts';
import { silentProgress } from '../src/runner/progress.ts';
import { runExperiment } from '../src/runner/run-experiment.ts';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const targetTurns = flag('--turns', 100_000);
const bootstrap = flag('--bootstrap', 50);
// The calibration fixture records about 5.5 turns per conversation over 26 users × 3 policies.
const repetitions = Math.max(1, Math.round(targetTurns / (5.5 * 26 * 3)));
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-bench-calibrate-'));
const experiments = resolve('experiments');
writeFileSync(
  join(root, 'experiment.yaml'),
  `name: calibrate-bench\nseed: 1\nrepetitions: ${repetitions}\nscenarios: all\npersonas: all\nmodels: [balanced]\npolicies: [last-resort, eager, never-end]\nmaxTurns: 30\npaths: {scenarios: ${experiments}/scenarios, personas: ${experiments}/personas, policies: ${experiments}/policies, models: ${experiments}/models}\n`,
);
try {
  const run = await runExperiment({
    experimentFile: join(root, 'experiment.yaml'),
    out: join(root, 'run'),
    runsDir: root,
    noCache: true,
    cacheDir: join(root, '.cache'),
    env: {},
    now: () => new Date(),
    progress: silentProgress,
    signal: new AbortController().signal,
  });
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const outcome = await calibrate({ runDirs: [run.runDir], id: 'bench', seed: 1, bootstrap });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const load = loadavg()[0] ?? 0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const turns = outcome.summary.turnsUsed;
  console.log(`calibrate: ${turns} turns, ${bootstrap} bootstrap replicates, ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU), peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, load average ${load.toFixed(1)}`);
  console.log(JSON.stringify({ turns, bootstrap, seconds: Number(seconds.toFixed(2)), cpuSeconds: Number(cpuSeconds.toFixed(2)), peakRssMb: Math.round(peak / 2 ** 20), loadAverage: Number(load.toFixed(2)) }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
