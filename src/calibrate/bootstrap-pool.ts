/**
 * Bootstrap refits over threads: the replicates are independent given their weights, so the main thread refits the
 * first share and worker threads (bootstrap-worker.ts, started as the runner starts its workers: compiled file, or
 * a bundle in a development checkout) the rest. Each replicate is computed by the same code from the same inputs,
 * so the results are those of one thread, in the same order.
 */
import { Worker } from 'node:worker_threads';
import { workerScriptFor } from '../runner/worker-bundle.ts';
import { type CompiledChoice, compileChoice } from './choice-compiled.ts';
import { choiceKey, type Refit, type RefitJob, type RefitSetup, refitter } from './refit.ts';

export interface BootstrapWork {
  readonly setup: RefitSetup;
  readonly jobs: readonly RefitJob[];
}

export async function refitAll(setup: RefitSetup, jobs: readonly RefitJob[], threads: number): Promise<Refit[]> {
  const refit = refitter(setup);
  if (threads <= 1 || jobs.length < 2) return jobs.map(refit);
  const share = Math.ceil(jobs.length / threads);
  const script = await workerScriptFor('../calibrate/bootstrap-worker');
  // Workers get the choice data compiled for their replicates' thresholds and patiences, not the observations they
  // were compiled from: a structured clone of every observation object would cost more time and memory than this.
  const choices = new Map<string, CompiledChoice>();
  for (const job of jobs.slice(share)) choices.set(choiceKey(job), compileChoice(setup.compiled, job.harm, job.patience));
  const shared: RefitSetup = { ...setup, compiled: { ...setup.compiled, observations: [] }, choices };
  const theirs: Promise<Refit[]>[] = [];
  for (let from = share; from < jobs.length; from += share) {
    const workerData: BootstrapWork = { setup: shared, jobs: jobs.slice(from, from + share) };
    theirs.push(
      new Promise<Refit[]>((resolve, reject) => {
        const worker = new Worker(script.kind === 'file' ? script.url : script.source, { eval: script.kind === 'source', workerData });
        worker.once('message', (refits: Refit[]) => {
          resolve(refits);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`bootstrap worker exited with code ${code}`));
        });
      }),
    );
  }
  // The main thread refits its share while the workers refit theirs.
  const mine = jobs.slice(0, share).map(refit);
  return [...mine, ...(await Promise.all(theirs)).flat()];
}
