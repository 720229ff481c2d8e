/**
 * `npm run bench`: the threshold sweep at scale on the simulated model. Prints conversations per second, the
 * statechart floor and their ratio, and peak RSS; the last line is JSON.
 * Targets (2-core machine): >= 5,000 ten-turn conversations/s; runner <= 3x the floor; peak RSS < 300 MB at 100k.
 *
 *   npm run bench                     # 100,000 conversations
 *   npm run bench -- --conversations 20000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExperiment } from '../src/config/load-experiment.ts';
import { cellAt } from '../src/core/grid.ts';
import { expandSweep } from '../src/core/sweep.ts';
import { executeRun } from '../src/runner/execute-run.ts';
import { finalizeRun } from '../src/runner/finalize-run.ts';
import { silentProgress } from '../src/runner/progress.ts';
import { createRunPlan } from '../src/runner/run-plan.ts';
import { runFile } from '../src/store/run-directory.ts';
import { loadScripts, timeFloor } from './statechart-floor.ts';

const argIndex = process.argv.indexOf('--conversations');
const target = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 100_000;
const FLOOR_SAMPLE = 20_000;

const base = loadExperiment('experiments/threshold-sweep.yaml');
const cellsPerRepetition = base.scenarios.length + base.personas.length;
const perRepetition = cellsPerRepetition * base.policies.length * base.models.length;
const sweepPoints = expandSweep(base.experiment.sweep).length;
const repetitions = Math.ceil(target / (perRepetition * sweepPoints));
const loaded = { ...base, experiment: { ...base.experiment, repetitions } };
const modelContext = { cacheDir: tmpdir(), noCache: true, env: {}, experimentFile: loaded.file };
const plan = await createRunPlan(loaded, modelContext);
const threadsIndex = process.argv.indexOf('--threads');
const threads = threadsIndex > 0 ? Number(process.argv[threadsIndex + 1]) : availableParallelism();
const runDir = mkdtempSync(join(tmpdir(), 'welfare-sim-bench-'));

try {
  const started = performance.now();
  const result = await executeRun({
    plan,
    runDir,
    indices: Array.from({ length: plan.size }, (_, i) => i),
    alreadyDone: 0,
    concurrency: 1,
    signal: new AbortController().signal,
    progress: silentProgress,
    threads: { count: threads, loaded, modelContext },
  });
  const runSeconds = (performance.now() - started) / 1000;
  await finalizeRun(runDir, loaded.experiment.name);
  const totalSeconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const policies = new Map<string, ReturnType<typeof cellAt>>();
  for (let i = 0; i < Math.min(plan.size, FLOOR_SAMPLE); i++) {
    const cell = cellAt(plan.spec, i);
    policies.set(cell.id, cell);
  }
  const scripts = await loadScripts(runFile(runDir, 'events'), (id) => (policies.get(id) as ReturnType<typeof cellAt>).policyConfig, FLOOR_SAMPLE);
  const floorSeconds = timeFloor(scripts);
  const floorPerSecond = scripts.length / floorSeconds;
  const runnerPerSecond = result.completed / runSeconds;

  const summary = {
    conversations: result.completed,
    runSeconds: Number(runSeconds.toFixed(2)),
    withMetricsSeconds: Number(totalSeconds.toFixed(2)),
    conversationsPerSecond: Math.round(runnerPerSecond),
    floorConversationsPerSecond: Math.round(floorPerSecond),
    runnerToFloorRatio: Number((floorPerSecond / runnerPerSecond).toFixed(2)),
    peakRssMb: Math.round(peakRssMb),
    targets: { conversationsPerSecond: 5000, runnerToFloorRatio: 3, peakRssMb: 300 },
  };
  console.log(`runner: ${summary.conversationsPerSecond} conversations/s (${result.completed} in ${summary.runSeconds} s; with metrics ${summary.withMetricsSeconds} s)`);
  console.log(`statechart floor: ${summary.floorConversationsPerSecond} conversations/s (bare actor, ${scripts.length} recorded conversations)`);
  console.log(`ratio runner/floor: ${summary.runnerToFloorRatio}x   peak RSS: ${summary.peakRssMb} MB`);
  console.log(JSON.stringify(summary));
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
