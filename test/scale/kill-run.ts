/**
 * Crash harness: starts real `welfare-sim run` processes and SIGKILLs them at seeded moments — a number of
 * milliseconds after start, or once conversations.jsonl or events.jsonl has grown by a number of bytes — then checks
 * what a kill left on disk.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { PROJECT_ROOT } from '../support/cli-process.ts';

export type KillMoment =
  | { readonly kind: 'after-ms'; readonly ms: number }
  /** Once the file has grown by this share of what is still to be written to it (0..1). */
  | { readonly kind: 'growth'; readonly file: 'conversations.jsonl' | 'events.jsonl'; readonly share: number }
  /** Once the file has reached this share of its finished size (0..1); at once if it already has. */
  | { readonly kind: 'at-size'; readonly file: 'conversations.jsonl' | 'events.jsonl'; readonly share: number }
  /** As soon as the test's own condition holds (e.g. the server holds a batch in progress). */
  | { readonly kind: 'when'; readonly ready: () => boolean };

/** `count` kill moments from `seed`: a third timed, the rest at seeded growth of the records or the events. */
export function killMoments(seed: string, count: number, maxMs: number): KillMoment[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (): KillMoment => {
    const kind = rng.int(3);
    if (kind === 0) return { kind: 'after-ms', ms: 100 + rng.int(maxMs - 100) };
    return { kind: 'growth', file: kind === 1 ? 'conversations.jsonl' : 'events.jsonl', share: 0.02 + 0.6 * rng.next() };
  });
}

/**
 * `count` kill moments for one chain of resumes over a fast run: a third early in a process's life (during start-up
 * or its first conversations), the rest at seeded, increasing points of the finished file — so every resume has a
 * seeded share of the run still to do when its kill comes, however fast the machine.
 */
export function ascendingKillMoments(seed: string, count: number): KillMoment[] {
  const rng = createRng(seed);
  const kinds = Array.from({ length: count }, () => rng.int(3));
  const shares = Array.from({ length: count }, () => 0.03 + 0.94 * rng.next()).sort((a, b) => a - b);
  return kinds.map((kind, i): KillMoment =>
    kind === 0
      ? { kind: 'after-ms', ms: 100 + rng.int(500) }
      : { kind: 'at-size', file: kind === 1 ? 'conversations.jsonl' : 'events.jsonl', share: shares[i] as number },
  );
}

export interface Ended {
  /** True when our SIGKILL ended it (false: it exited on its own first). */
  readonly killed: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the CLI and kills it at `moment` (null: let it finish). `fullSizes` are the file sizes of a finished run,
 * to turn a growth share into bytes. A first run is only killed once its manifest exists, so there is a run to resume.
 */
export async function runAndKill(
  args: readonly string[],
  options: { readonly runDir: string; readonly moment: KillMoment | null; readonly fullSizes: Readonly<Record<string, number>>; readonly env?: Readonly<Record<string, string>> },
): Promise<Ended> {
  const child = spawn('node', ['bin/welfare-sim.js', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const { moment } = options;
  if (moment !== null) {
    const started = performance.now();
    const file = moment.kind === 'growth' || moment.kind === 'at-size' ? join(options.runDir, moment.file) : '';
    const remaining = moment.kind === 'growth' ? Math.max(0, (options.fullSizes[moment.file] ?? 0) - size(file)) : 0;
    const target =
      moment.kind === 'at-size'
        ? Math.floor(moment.share * (options.fullSizes[moment.file] ?? 0))
        : size(file) + (moment.kind === 'growth' ? Math.max(1, Math.floor(moment.share * remaining)) : 0);
    const due = (): boolean =>
      existsSync(join(options.runDir, 'manifest.json')) &&
      (moment.kind === 'after-ms' ? performance.now() - started >= moment.ms : moment.kind === 'when' ? moment.ready() : size(file) >= target);
    while (!exited && !due()) await pause(5);
    if (!exited) child.kill('SIGKILL');
  }
  const { code, signal } = await exit;
  return { killed: signal === 'SIGKILL', code, stdout, stderr };
}

/**
 * What a kill may leave: conversations.jsonl holds whole records (a torn last line at most), each exactly the
 * record of an uninterrupted run, none twice. Returns how many whole records are on disk.
 */
export function expectOnlyTrueRecords(runDir: string, reference: ReadonlyMap<number, string>): number {
  const path = join(runDir, 'conversations.jsonl');
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line.length > 0);
  const seen = new Set<number>();
  for (const line of whole) {
    const index = (JSON.parse(line) as { index: number }).index;
    expect(seen.has(index), `index ${index} twice in ${path}`).toBe(false);
    seen.add(index);
    expect(line, `record ${index}`).toBe(reference.get(index));
  }
  return whole.length;
}

/** Grid index → record line of a finished run. */
export function recordsByIndex(conversationsJsonl: string): Map<number, string> {
  const lines = conversationsJsonl.split('\n').filter((line) => line.length > 0);
  return new Map(lines.map((line) => [(JSON.parse(line) as { index: number }).index, line]));
}
