/**
 * Runs a set of grid cells into a run directory. Conversations that wait on a model or a person run in a bounded
 * pool of async workers pulling cells lazily (memory does not grow with the grid); CPU-bound simulated runs can
 * instead use worker threads (parallel-run.ts). Events are always flushed before the records that summarise
 * them, so a record on disk means the conversation is complete.
 */
import type { LoadedExperiment } from '../config/load-experiment.ts';
import { hasStats } from '../models/assistant-model.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import type { ModelContext } from '../models/create-model.ts';
import { JsonlAppender } from '../store/jsonl-appender.ts';
import { runFile } from '../store/run-directory.ts';
import { executeParallel } from './parallel-run.ts';
import type { ProgressSink } from './progress.ts';
import { runCell } from './run-block.ts';
import type { RunPlan } from './assemble-plan.ts';

export interface ExecuteOptions {
  readonly plan: RunPlan;
  readonly runDir: string;
  /** Grid indices to run, in order. */
  readonly indices: readonly number[];
  /** Conversations already done before this call (resume). */
  readonly alreadyDone: number;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
  /** Record every XState inspection event in trace.jsonl (runs in this thread). */
  readonly trace?: boolean;
  /** Worker threads for a simulated-only run (1: run in this thread). */
  readonly threads?: { readonly count: number; readonly loaded: LoadedExperiment; readonly modelContext: ModelContext };
}

export interface ExecuteResult {
  readonly completed: number;
  readonly errored: number;
  readonly interrupted: boolean;
}

/** A synchronous model never yields; the workers yield to the event loop this often so signals and progress run. */
const YIELD_EVERY_MS = 25;

export async function executeRun(options: ExecuteOptions): Promise<ExecuteResult> {
  const { plan, signal, progress } = options;
  const events = new JsonlAppender(runFile(options.runDir, 'events'));
  const conversations = new JsonlAppender(runFile(options.runDir, 'conversations'));
  const trace = options.trace ? new JsonlAppender(runFile(options.runDir, 'trace')) : undefined;
  const report = (completed: number, errored: number): void =>
    progress.update(options.alreadyDone + completed, progressDetail(plan, errored));
  let result = { completed: 0, errored: 0 };

  progress.start(options.alreadyDone + options.indices.length, options.alreadyDone);
  try {
    if (options.threads && options.threads.count > 1 && !trace) {
      result = await executeParallel({ ...options.threads, workers: options.threads.count, indices: options.indices, signal, events, conversations, onProgress: report });
    } else {
      result = await executeInThread(options, { events, conversations, trace }, report);
    }
  } finally {
    events.close();
    conversations.close();
    trace?.close();
    report(result.completed, result.errored);
    progress.stop();
  }
  return { ...result, interrupted: signal.aborted };
}

async function executeInThread(
  options: ExecuteOptions,
  { events, conversations, trace }: { events: JsonlAppender; conversations: JsonlAppender; trace: JsonlAppender | undefined },
  report: (completed: number, errored: number) => void,
): Promise<{ completed: number; errored: number }> {
  const iterator = options.indices[Symbol.iterator]();
  let completed = 0;
  let errored = 0;
  let lastYield = performance.now();
  const flush = (): void => {
    trace?.flush();
    events.flush();
    conversations.flush();
  };
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done && !options.signal.aborted; next = iterator.next()) {
      const driven = await runCell(options.plan, next.value, options.signal, trace);
      if (!driven) return;
      for (const event of driven.events) events.append(event);
      conversations.append(driven.record);
      completed += 1;
      if (driven.record.status === 'errored') errored += 1;
      if (events.shouldFlush || trace?.shouldFlush) flush();
      const now = performance.now();
      if (now - lastYield >= YIELD_EVERY_MS) {
        lastYield = now;
        flush();
        report(completed, errored);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    flush();
  }
  return { completed, errored };
}

/**
 * Calls, cache hits, tokens and cost of the models and users that make paid calls (users keyed `user:<id>`);
 * empty for simulated runs.
 */
export function modelCallStats(plan: RunPlan): Record<string, ModelCallStats> {
  const stats: Record<string, ModelCallStats> = {};
  for (const [id, model] of plan.models) if (hasStats(model)) stats[id] = model.stats();
  return { ...stats, ...plan.userStats?.() };
}

function progressDetail(plan: RunPlan, errored: number): string {
  const parts = Object.entries(modelCallStats(plan)).map(
    ([id, s]) => `${id}: ${s.calls} calls, ${s.cacheHits} cached, ${s.inputTokens}+${s.outputTokens} tokens, $${s.estimatedCostUsd.toFixed(2)}`,
  );
  if (errored > 0) parts.push(`${errored} errored`);
  return parts.join(' · ');
}
