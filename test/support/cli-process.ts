/** Runs the real welfare-sim CLI as a child process, as a user would, and collects its output. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(PROJECT_ROOT, 'bin/welfare-sim.js');

/**
 * `withoutAnthropicEnv` drops the caller's ANTHROPIC_* variables, so a test that talks to the loopback server can
 * never reach a real key or endpoint.
 */
export function runWelfareSim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; withoutAnthropicEnv?: boolean } = {},
): Promise<CliResult> {
  const inherited = options.withoutAnthropicEnv
    ? Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ANTHROPIC_')))
    : process.env;
  return new Promise((done) => {
    execFile(
      'node',
      [BIN, ...args],
      { cwd: options.cwd ?? PROJECT_ROOT, env: { ...inherited, FORCE_COLOR: '0', ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}
