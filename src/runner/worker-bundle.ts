/**
 * What a worker thread runs. In an installed copy (or after `npm run build`) this module is compiled JavaScript in
 * dist/, and the worker runs the compiled run-worker.js beside it. In a development checkout run through tsx, the
 * worker's code is bundled once per process with esbuild (a development dependency) into one self-contained
 * CommonJS script.
 *
 * Why not load run-worker.ts through tsx in each worker: every worker would register its own TypeScript loader,
 * and on Node 20 that is one more thread and V8 isolate per worker (module hooks run off-thread), which cost
 * ~40 MB of RSS per run and startup time.
 */
import { fileURLToPath } from 'node:url';

export type WorkerScript =
  | { readonly kind: 'file'; readonly url: URL }
  | { readonly kind: 'source'; readonly source: string };

const compiled = import.meta.url.endsWith('.js');
let bundled: Promise<WorkerScript> | undefined;

async function bundleWorker(): Promise<WorkerScript> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./run-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no worker bundle');
  return { kind: 'source', source: output.text };
}

/** The script to start a worker with: the compiled file, or a bundle to evaluate. */
export function workerScript(): Promise<WorkerScript> {
  if (compiled) return Promise.resolve({ kind: 'file', url: new URL('./run-worker.js', import.meta.url) });
  bundled ??= bundleWorker().catch((error: unknown) => {
    bundled = undefined; // a failed build is retried by the next run rather than remembered
    throw error;
  });
  return bundled;
}
