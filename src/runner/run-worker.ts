/**
 * A worker thread of a parallel run: rebuilds the run plan from the resolved experiment it is given, then runs
 * the blocks the main thread sends and posts back their JSON lines. It never touches the run directory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedExperiment } from '../config/load-experiment.ts';
import type { ModelContext } from '../models/create-model.ts';
import { runBlock } from './run-block.ts';
import { assembleRunPlan, simulatedModels } from './assemble-plan.ts';

export interface WorkerSetup {
  readonly loaded: LoadedExperiment;
  readonly modelContext: ModelContext;
}

export type WorkerRequest = { readonly type: 'block'; readonly block: number; readonly indices: readonly number[] };
export type WorkerReply =
  | { readonly type: 'block'; readonly block: number; readonly events: string; readonly conversations: string; readonly completed: number; readonly errored: number }
  | { readonly type: 'error'; readonly message: string };

const setupData = workerData as WorkerSetup;
// Threads run simulated-only experiments (see threadCount), so the worker builds simulated models only.
const models = simulatedModels(setupData.loaded);
if (!models) throw new Error('worker threads run simulated models only');
const plan = assembleRunPlan(setupData.loaded, { models });
const port = parentPort;
if (!port) throw new Error('run-worker.ts runs only as a worker thread');

port.on('message', (request: WorkerRequest) => {
  runBlock(plan, request.indices).then(
    (output) => port.postMessage({ type: 'block', block: request.block, ...output } satisfies WorkerReply),
    (error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
