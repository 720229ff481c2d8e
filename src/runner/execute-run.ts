/**
 * Runs a set of grid cells into a run directory: a bounded pool of workers pulls cells lazily (memory does not
 * grow with the grid), drives each conversation and appends its events, then its record. Events are always
 * flushed before the records that summarise them, so a record on disk means the conversation is complete.
 */
import { cellAt } from '../core/grid.ts';
import { commonRandomSeed } from '../core/grid.ts';
import { createRng } from '../core/rng.ts';
import { hasStats, type ModelCallStats } from '../models/assistant-model.ts';
import { JsonlAppender } from '../store/jsonl-appender.ts';
import { runFile } from '../store/run-directory.ts';
import { ConversationAborted, driveConversation } from './drive-conversation.ts';
import type { ProgressSink } from './progress.ts';
import type { RunPlan } from './run-plan.ts';

export interface ExecuteOptions {
  readonly plan: RunPlan;
  readonly runDir: string;
  /** Grid indices to run, in order. */
  readonly indices: Iterable<number>;
  /** How many indices there are (for progress). */
  readonly total: number;
  /** Conversations already done before this call (resume). */
  readonly alreadyDone: number;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly progress: ProgressSink;
}

export interface ExecuteResult {
  readonly completed: number;
  readonly errored: number;
  readonly interrupted: boolean;
}

/** A synchronous model never yields; the workers yield to the event loop this often so signals and progress run. */
const YIELD_EVERY_MS = 25;

export async function executeRun(options: ExecuteOptions): Promise<ExecuteResult> {
  const { plan, signal } = options;
  const events = new JsonlAppender(runFile(options.runDir, 'events'));
  const conversations = new JsonlAppender(runFile(options.runDir, 'conversations'));
  const iterator = options.indices[Symbol.iterator]();
  let completed = 0;
  let errored = 0;
  let lastYield = performance.now();

  const flush = (): void => {
    events.flush();
    conversations.flush();
  };

  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      if (signal.aborted) return;
      const { policyConfig, ...cell } = cellAt(plan.spec, next.value);
      const model = plan.models.get(cell.model);
      if (!model) throw new Error(`model "${cell.model}" was not created`);
      let driven;
      try {
        driven = await driveConversation({
          cell,
          policy: policyConfig,
          user: plan.createUser(cell),
          model,
          rng: createRng(commonRandomSeed(plan.spec, cell)),
          maxMoves: plan.maxMoves,
          signal,
        });
      } catch (error) {
        if (error instanceof ConversationAborted) return;
        throw error;
      }
      for (const event of driven.events) events.append(event);
      conversations.append(driven.record);
      completed += 1;
      if (driven.record.status === 'errored') errored += 1;
      if (events.shouldFlush) flush();
      const now = performance.now();
      if (now - lastYield >= YIELD_EVERY_MS) {
        lastYield = now;
        flush();
        options.progress.update(options.alreadyDone + completed, progressDetail(plan, errored));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };

  options.progress.start(options.alreadyDone + options.total, options.alreadyDone);
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    flush();
    events.close();
    conversations.close();
    options.progress.update(options.alreadyDone + completed, progressDetail(plan, errored));
    options.progress.stop();
  }
  return { completed, errored, interrupted: signal.aborted };
}

/** Calls, cache hits, tokens and cost of the models that make paid calls; empty for simulated runs. */
export function modelCallStats(plan: RunPlan): Record<string, ModelCallStats> {
  const stats: Record<string, ModelCallStats> = {};
  for (const [id, model] of plan.models) if (hasStats(model)) stats[id] = model.stats();
  return stats;
}

function progressDetail(plan: RunPlan, errored: number): string {
  const parts = Object.entries(modelCallStats(plan)).map(
    ([id, s]) => `${id}: ${s.calls} calls, ${s.cacheHits} cached, ${s.inputTokens}+${s.outputTokens} tokens, $${s.estimatedCostUsd.toFixed(2)}`,
  );
  if (errored > 0) parts.push(`${errored} errored`);
  return parts.join(' · ');
}
