/**
 * The worker thread's code as one self-contained CommonJS bundle, built once per process with esbuild.
 *
 * Why not load run-worker.ts through tsx in each worker: every worker would register its own TypeScript loader,
 * and on Node 20 that is one more thread and V8 isolate per worker (module hooks run off-thread), which cost
 * ~40 MB of RSS per run and startup time. A bundle loads as plain JavaScript, so the workers can afford a young
 * generation large enough that they spend less of their time collecting garbage.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./run-worker.ts', import.meta.url));
let bundled: Promise<string> | undefined;

async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no worker bundle');
  return output.text;
}

/** The source to start a worker with (`new Worker(source, { eval: true })`). */
export function workerSource(): Promise<string> {
  bundled ??= bundleWorker().catch((error: unknown) => {
    bundled = undefined; // a failed build is retried by the next run rather than remembered
    throw error;
  });
  return bundled;
}
