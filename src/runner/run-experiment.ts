/**
 * A whole run, new or resumed: load and check everything first (bad input leaves no directory behind), then
 * create the run directory, run the grid (or the shard's share, or what is missing), and finalize.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InputError } from '../common/input-error.ts';
import { loadExperiment, type LoadedExperiment } from '../config/load-experiment.ts';
import { shardIndices } from '../core/grid.ts';
import { configHash, readManifest, writeManifest, type RunManifest } from '../store/manifest.ts';
import { createRunDirectory, runFile } from '../store/run-directory.ts';
import { CallTally, readCallTally } from '../store/call-tally.ts';
import { sumModelCalls } from '../store/merged-manifest.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import type { MetricsFile } from '../core/records.ts';
import { executeRun, modelCallStats } from './execute-run.ts';
import { finalizeRun } from './finalize-run.ts';
import { BLOCK_SIZE } from './parallel-run.ts';
import { BatchLedger } from '../anthropic/batch-ledger.ts';
import { MessageBatcher } from '../anthropic/batch-rounds.ts';
import type { ProgressSink } from './progress.ts';
import { prepareResume } from './resume-state.ts';
import { createRunPlan, type RunPlan } from './run-plan.ts';
import { newRunManifest } from './new-manifest.ts';

/** Conversations in flight in batch mode (the most a round gathers). */
const BATCH_CONCURRENCY = 1024;

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface RunRequest {
  /** The experiment file; optional when resuming (the manifest names it). */
  readonly experimentFile?: string;
  readonly resumeDir?: string;
  readonly out?: string;
  readonly runsDir: string;
  readonly shard?: Shard;
  readonly concurrency?: number;
  /** Record every XState inspection event in trace.jsonl. */
  readonly trace?: boolean;
  /** Told what the run does differently from what was asked (e.g. a --threads it cannot use). */
  readonly onNote?: (message: string) => void;
  /** Worker threads for simulated-only runs; default: one per core when the run is large enough to gain. */
  readonly threads?: number;
  readonly noCache: boolean;
  readonly cacheDir: string;
  /**
   * On --resume, use the cache the run started with (recorded in its manifest) instead of `cacheDir`: set when the
   * caller's cache folder is only a default (no --runs-dir given), so a resume never pays again for calls cached.
   */
  readonly resumeCache?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal;
  /** Claude calls through the Message Batches API in lock-step rounds (half price; resumable). */
  readonly batch?: boolean;
}

export interface RunOutcome {
  readonly runDir: string;
  readonly manifest: RunManifest;
  readonly metrics: MetricsFile | null;
  readonly plan: RunPlan;
  /** Conversations a resumed run had done before this invocation (0 for a new run). */
  readonly doneBefore: number;
}

/** The resolved configuration that the config hash covers: the experiment and every part it uses. */
export function resolvedConfig(loaded: LoadedExperiment) {
  const { experiment, scenarios, personas, llmUsers, policies, models } = loaded;
  return { experiment, scenarios, personas, ...(llmUsers.length > 0 && { llmUsers }), policies, models };
}

/**
 * Threads pay off only for CPU-bound runs: every model simulated and no user played by a model (a real model
 * waits on the network, which the async pool already overlaps; and its call counters live in this thread) and
 * enough conversations to amortise starting the workers. `--trace` runs in this thread too: the inspection events
 * come from the actors, which live where the conversations run.
 */
function threadCount(requested: number | undefined, loaded: LoadedExperiment, conversations: number, trace: boolean): { count: number; ignored?: string } {
  const simulatedOnly = loaded.models.every((model) => model.kind === 'simulated') && loaded.llmUsers.length === 0;
  const asked = requested !== undefined && requested > 1;
  if (!simulatedOnly) {
    return { count: 1, ...(asked && { ignored: `--threads ${requested} is ignored: runs with real models or users played by a model use one thread, and --concurrency sets how many calls overlap` }) };
  }
  if (trace) {
    return { count: 1, ...(asked && { ignored: `--threads ${requested} is ignored with --trace: the inspection events are recorded in one thread` }) };
  }
  if (requested !== undefined) return { count: requested };
  return { count: conversations >= 4 * BLOCK_SIZE ? Math.min(availableParallelism(), 8) : 1 };
}

export async function runExperiment(request: RunRequest): Promise<RunOutcome> {
  const previous = request.resumeDir === undefined ? null : readManifest(request.resumeDir);
  const experimentFile = request.experimentFile ?? previous?.experimentFile;
  if (experimentFile === undefined) throw InputError.one('welfare-sim run', '', 'expected an experiment file or --resume DIR, found neither');
  const loaded = loadExperiment(experimentFile);
  const config = resolvedConfig(loaded);
  const hash = configHash(config);
  const shard = request.shard ?? previous?.shard ?? null;
  if (previous && request.resumeDir !== undefined) {
    if (previous.configHash !== hash) {
      throw InputError.one(experimentFile, '', `expected the configuration the run in ${request.resumeDir} started with (hash ${previous.configHash.slice(0, 12)}), found a changed one (hash ${hash.slice(0, 12)}); start a new run instead`);
    }
    if (request.shard && (request.shard.index !== previous.shard?.index || request.shard.count !== previous.shard?.count)) {
      throw InputError.one('--shard', '', `expected the shard the run started with (${previous.shard ? `${previous.shard.index}/${previous.shard.count}` : 'none'}), found ${request.shard.index}/${request.shard.count}`);
    }
  }
  // The batcher opens its ledger in the run directory at the first round, when the directory exists.
  const batching = request.batch === true && loaded.models.some((model) => model.kind === 'anthropic');
  const batch = batching ? new MessageBatcher({ ledger: () => BatchLedger.inRunDirectory(runDir), signal: request.signal }) : undefined;
  // Every paid call is tallied as it happens (model-calls.jsonl), so the manifest counts the whole run's calls
  // across interruptions, kills and resumes, not only this process's.
  let tally: CallTally | null = null;
  let callStats = (): Record<string, ModelCallStats> => ({});
  const carried = previous?.modelCalls;
  const onCall = (): void => tally?.record(callStats(), carried);
  const cacheDir = request.resumeCache === true && previous?.cacheDir !== undefined ? previous.cacheDir : request.cacheDir;
  const modelContext = { cacheDir, noCache: request.noCache, env: request.env, experimentFile, onCall, ...(batch && { batch }) };
  const plan = await createRunPlan(loaded, modelContext);
  callStats = () => modelCallStats(plan);
  const resume = request.resumeDir === undefined ? null : await prepareResume(request.resumeDir);
  const runDir =
    request.resumeDir ??
    createRunDirectory({ out: request.out, runsDir: request.runsDir, experiment: loaded.experiment.name, now: request.now() });

  const all = [...shardIndices(plan.size, shard?.index, shard?.count)];
  const todo = resume ? all.filter((index) => !resume.doneIndices.has(index)) : all;
  const alreadyDone = all.length - todo.length;
  let manifest: RunManifest = previous
    ? { ...previous, status: 'running', resumedAt: [...previous.resumedAt, request.now().toISOString()], finishedAt: null }
    : newRunManifest({
        experiment: loaded.experiment.name,
        experimentFile,
        config,
        seed: loaded.experiment.seed,
        shard,
        planned: all.length,
        gridSize: plan.size,
        startedAt: request.now(),
      });
  const paid = loaded.models.some((model) => model.kind === 'anthropic') || loaded.llmUsers.length > 0;
  if (paid && manifest.cacheDir === undefined && !request.noCache) manifest = { ...manifest, cacheDir };
  writeManifest(runDir, manifest);
  tally = new CallTally(runDir, `${request.now().toISOString()} pid ${process.pid}`);
  /** The run's calls so far: the tally when there is one (paid calls were made), else earlier totals plus this process's. */
  const runCalls = (): Record<string, ModelCallStats> => {
    if (existsSync(runFile(runDir, 'modelCalls'))) tally?.record(modelCallStats(plan), carried);
    tally?.close();
    return readCallTally(runDir) ?? sumModelCalls([carried ?? {}, modelCallStats(plan)]);
  };

  const threads = threadCount(request.threads, loaded, todo.length, request.trace ?? false);
  if (threads.ignored !== undefined) request.onNote?.(threads.ignored);
  let result;
  try {
    result = await executeRun({
      plan,
      runDir,
      indices: todo,
      alreadyDone,
      // A batch round holds every live conversation: nothing else limits how many are in flight.
      concurrency: request.concurrency ?? (batching ? BATCH_CONCURRENCY : plan.concurrency),
      signal: request.signal,
      progress: request.progress,
      trace: request.trace ?? false,
      // Worker threads run simulated models only (no paid calls) and take the context by structured clone: no hook.
      threads: { count: threads.count, loaded, modelContext: { ...modelContext, onCall: undefined } },
    });
  } catch (error) {
    writeManifest(runDir, { ...manifest, status: 'failed', modelCalls: runCalls() });
    throw error;
  }
  const completed = alreadyDone + result.completed;
  const errored = (resume?.errored ?? 0) + result.errored;
  const finished = !result.interrupted && completed === all.length;
  const metrics = finished ? await finalizeRun(runDir, loaded.experiment.name, resolvedConfig(loaded)) : null;
  // A run whose every conversation errored (a refused key, an outage) measured nothing: it failed.
  const allErrored = completed > 0 && errored === completed;
  manifest = {
    ...manifest,
    status: finished ? (allErrored ? 'failed' : 'complete') : 'interrupted',
    finishedAt: finished ? request.now().toISOString() : null,
    counts: { completed, errored },
    modelCalls: runCalls(),
  };
  writeManifest(runDir, manifest);
  return { runDir, manifest, metrics, plan, doneBefore: alreadyDone };
}
