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
const bundles = new Map<string, Promise<WorkerScript>>();

async function bundleWorker(entry: string): Promise<WorkerScript> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`${entry}.ts`, import.meta.url))],
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

/**
 * The script to start a worker with, for the module `entry` (a path relative to this one, without extension,
 * e.g. '../calibrate/bootstrap-worker'): the compiled file, or a bundle to evaluate.
 */
export function workerScriptFor(entry: string): Promise<WorkerScript> {
  if (compiled) return Promise.resolve({ kind: 'file', url: new URL(`${entry}.js`, import.meta.url) });
  let bundled = bundles.get(entry);
  if (bundled === undefined) {
    bundled = bundleWorker(entry).catch((error: unknown) => {
      bundles.delete(entry); // a failed build is retried by the next run rather than remembered
      throw error;
    });
    bundles.set(entry, bundled);
  }
  return bundled;
}

/** The run worker's script (run-worker.ts). */
export function workerScript(): Promise<WorkerScript> {
  return workerScriptFor('./run-worker');
}
