/**
 * Parallel execution for CPU-bound runs (simulated models): worker threads drive blocks of conversations, the
 * main thread writes the blocks in grid order. Output is byte-identical to a single-threaded run, and what is on
 * disk is always a prefix of whole blocks, so an interruption loses at most the blocks in flight.
 */
import { Worker } from 'node:worker_threads';
import type { LoadedExperiment } from '../config/load-experiment.ts';
import type { ModelContext } from '../models/create-model.ts';
import type { JsonlAppender } from '../store/jsonl-appender.ts';
import type { WorkerReply, WorkerSetup } from './run-worker.ts';
import { workerScript } from './worker-bundle.ts';

export const BLOCK_SIZE = 250;

/**
 * A worker's live data is small (one block of conversations, ~20 MB of heap); without limits V8 grows each worker's
 * heap lazily to hundreds of MB while memory is free, and a run's RSS would grow with its thread count. A 24 MB young
 * generation scavenges less often than 16 MB, while a 100,000-conversation CLI run on two threads stays near 285 MB
 * of peak RSS (at 32 MB it passed 300).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 64 };

export interface ParallelOptions {
  readonly loaded: LoadedExperiment;
  readonly modelContext: ModelContext;
  readonly indices: readonly number[];
  readonly workers: number;
  readonly signal: AbortSignal;
  readonly events: JsonlAppender;
  readonly conversations: JsonlAppender;
  readonly onProgress: (completed: number, errored: number) => void;
}

export async function executeParallel(options: ParallelOptions): Promise<{ completed: number; errored: number }> {
  const blocks: number[][] = [];
  for (let i = 0; i < options.indices.length; i += BLOCK_SIZE) blocks.push(options.indices.slice(i, i + BLOCK_SIZE));
  const setupData: WorkerSetup = { loaded: options.loaded, modelContext: options.modelContext };
  const script = await workerScript();
  const workers = Array.from(
    { length: Math.min(options.workers, blocks.length) },
    // execArgv: [] — a worker inherits the parent's flags, and under the tsx CLI those would load tsx in every worker.
    () =>
      new Worker(script.kind === 'file' ? script.url : script.source, {
        eval: script.kind === 'source',
        execArgv: [],
        workerData: setupData,
        resourceLimits: WORKER_LIMITS,
      }),
  );
  const finished = new Map<number, Extract<WorkerReply, { type: 'block' }>>();
  let nextToSend = 0;
  let nextToWrite = 0;
  let completed = 0;
  let errored = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const sendNext = (worker: Worker): void => {
        if (options.signal.aborted || nextToSend >= blocks.length) return;
        worker.postMessage({ type: 'block', block: nextToSend, indices: blocks[nextToSend] });
        nextToSend += 1;
        inFlight += 1;
      };
      const writeReady = (): void => {
        for (let block = finished.get(nextToWrite); block; block = finished.get(nextToWrite)) {
          finished.delete(nextToWrite);
          options.events.appendText(block.events);
          options.conversations.appendText(block.conversations);
          options.events.flush();
          options.conversations.flush();
          completed += block.completed;
          errored += block.errored;
          nextToWrite += 1;
        }
        options.onProgress(completed, errored);
      };
      for (const worker of workers) {
        worker.on('message', (reply: WorkerReply) => {
          inFlight -= 1;
          if (reply.type === 'error') return reject(new Error(reply.message));
          finished.set(reply.block, reply);
          writeReady();
          sendNext(worker);
          if (inFlight === 0) resolve();
        });
        worker.on('error', reject);
        sendNext(worker);
      }
      if (inFlight === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { completed, errored };
}
