/**
 * The run directory (README, "The run directory"): where a run's files live and how they are named. The only
 * place that names them: everything else asks for `runFile(dir, 'events')`.
 * `runs/<experiment>/<timestamp>/` with manifest.json, events.jsonl, conversations.jsonl, metrics.json.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../common/input-error.ts';

export const RUN_FILES = {
  manifest: 'manifest.json',
  events: 'events.jsonl',
  conversations: 'conversations.jsonl',
  metrics: 'metrics.json',
  /** Runs with paid model calls: each process's running totals (src/store/call-tally.ts). */
  modelCalls: 'model-calls.jsonl',
  /** `run --batch`: each Message Batch submitted and each creation about to be sent (src/anthropic/batch-ledger.ts). */
  batches: 'batches.jsonl',
  /** Live runs: one line per conversation as it starts, so a run cut off by a crash can still be closed. */
  liveCells: 'live-cells.jsonl',
  /** `run --trace`: every statechart inspection event. */
  trace: 'trace.jsonl',
  report: 'report.html',
  /** A folder: each chart as `.vl.json`, `.svg` and `.png`. */
  charts: 'charts',
  tuneState: 'tune-state.json',
  tuneAnswer: 'tune-answer.json',
  tuneReport: 'tune-report.html',
} as const;

export type RunFileName = keyof typeof RUN_FILES;

export function runFile(runDir: string, name: RunFileName): string {
  return join(runDir, RUN_FILES[name]);
}

/** `2026-11-26T19-05-00-123Z`: sortable, and safe in a file name on every platform. */
export function timestampName(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/**
 * Creates the directory for a new run. With `out` it must not exist yet or be empty (a run never mixes with
 * another's files); otherwise `<runsDir>/<experiment>/<timestamp>`.
 */
export function createRunDirectory(options: { out?: string; runsDir: string; experiment: string; now: Date; live?: boolean }): string {
  if (options.out !== undefined) {
    if (existsSync(options.out) && readdirSync(options.out).length > 0) {
      // A live session cannot be resumed (its participants are gone): it is closed with `serve --close`.
      const advice = options.live === true ? 'choose a new folder; `welfare-sim serve --close DIR` finishes a live run that was cut short' : 'use --resume to finish a run';
      throw InputError.one('--out', '', `expected a new or empty directory, found ${options.out} with files in it (${advice})`);
    }
    mkdirSync(options.out, { recursive: true });
    return options.out;
  }
  const parent = join(options.runsDir, options.experiment);
  const name = timestampName(options.now);
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  pointLatestAt(parent, name);
  return dir;
}

/** `runs/<experiment>/latest` → the newest run, replaced atomically (a relative link, so the folder can move). */
function pointLatestAt(parent: string, name: string): void {
  const temporary = join(parent, `.latest-${process.pid}`);
  try {
    symlinkSync(name, temporary);
    renameSync(temporary, join(parent, 'latest'));
  } catch {
    // A file system without symbolic links: the run is fine without the convenience link.
  }
}
