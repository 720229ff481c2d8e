/** A worker thread of the bootstrap (bootstrap-pool.ts): refits its share of the replicates and posts them back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { BootstrapWork } from './bootstrap-pool.ts';
import { refitter } from './refit.ts';

const work = workerData as BootstrapWork;
parentPort?.postMessage(work.jobs.map(refitter(work.setup)));
