/**
 * Runs one block of grid cells and returns its records as JSON lines, events first. Shared by the in-thread
 * runner and the worker threads, so both produce byte-identical output for the same cells.
 */
import { cellAt, commonRandomSeed } from '../core/grid.ts';
import { createRng } from '../core/rng.ts';
import { ConversationAborted, driveConversation } from '../conversation/drive-conversation.ts';
import type { RunPlan } from './assemble-plan.ts';
import type { JsonlAppender } from '../store/jsonl-appender.ts';
import { tracer } from './trace.ts';

export interface BlockOutput {
  readonly events: string;
  readonly conversations: string;
  readonly completed: number;
  readonly errored: number;
}

/** Drives one cell; null when the run was cancelled mid-conversation (it will be resumed). */
export async function runCell(plan: RunPlan, index: number, signal?: AbortSignal, trace?: JsonlAppender) {
  const { policyConfig, ...cell } = cellAt(plan.spec, index);
  const model = plan.models.get(cell.model);
  if (!model) throw new Error(`model "${cell.model}" was not created`);
  try {
    return await driveConversation({
      cell,
      policy: policyConfig,
      user: plan.createUser(cell),
      model,
      rng: createRng(commonRandomSeed(plan.spec, cell)),
      maxMoves: plan.maxMoves,
      signal,
      userIndex: plan.spec.users.findIndex((user) => user.id === cell.user),
      ...(plan.assessment ? { assessment: plan.assessment } : {}),
      ...(trace ? { inspect: tracer(trace, cell.id) } : {}),
    });
  } catch (error) {
    if (error instanceof ConversationAborted) return null;
    throw error;
  }
}

/** A block of synchronous conversations (simulated models): runs to completion without yielding. */
export async function runBlock(plan: RunPlan, indices: readonly number[]): Promise<BlockOutput> {
  let events = '';
  let conversations = '';
  let errored = 0;
  for (const index of indices) {
    const driven = await runCell(plan, index);
    if (!driven) continue;
    for (const event of driven.events) events += JSON.stringify(event) + '\n';
    conversations += JSON.stringify(driven.record) + '\n';
    if (driven.record.status === 'errored') errored += 1;
  }
  return { events, conversations, completed: indices.length, errored };
}
