/**
 * Runs the CLI in this process through `runCli` (as bin/welfare-sim.js does) and captures what it writes, so a
 * thousand bad-input cases take seconds instead of a thousand process starts. A case that takes longer than
 * `timeoutMs` counts as a hang.
 */
import { runCli } from '../../src/cli/main.ts';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function captureCli(argv: readonly string[], timeoutMs = 10_000): Promise<Captured> {
  const writeErr = process.stderr.write;
  const writeOut = process.stdout.write;
  let stderr = '';
  let stdout = '';
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`welfare-sim ${argv.join(' ')} did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    const code = await Promise.race([runCli(argv), hang]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    process.stderr.write = writeErr;
    process.stdout.write = writeOut;
    process.exitCode = undefined;
  }
}
