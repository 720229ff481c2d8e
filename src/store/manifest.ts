/**
 * manifest.json: what was run (the resolved configuration and its hash), with which versions, and how far it got.
 * Rewritten atomically at the start, on resume and at the end.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError } from '../shared/input-error.ts';
import type { ModelCallStats } from '../shared/model-call-stats.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { runFile } from './run-directory.ts';

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';

export interface RunManifest {
  readonly formatVersion: 1;
  readonly tool: { readonly name: 'welfare-sim'; readonly version: string };
  readonly experiment: string;
  /** The experiment file as given on the command line (resume reloads it and checks the hash). */
  readonly experimentFile: string;
  /** sha256 of the resolved configuration: the experiment with every part it references. */
  readonly configHash: string;
  readonly seed: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  /** Conversations in this run (the shard's share of the grid). */
  readonly planned: number;
  readonly gridSize: number;
  readonly startedAt: string;
  readonly resumedAt: readonly string[];
  readonly finishedAt: string | null;
  readonly status: RunStatus;
  readonly counts: { readonly completed: number; readonly errored: number };
  readonly modelCalls: Readonly<Record<string, ModelCallStats>>;
  readonly versions: Readonly<Record<string, string>>;
  readonly config: unknown;
  /** The folder of the cache of model calls the run started with (absolute): `--resume` uses it again. */
  readonly cacheDir?: string;
  /**
   * Present on a live run (`serve`, `chat`): sessions that are not conversations, counted apart from the records.
   * `emptySessions`: consented, but no message sent. `unconsentedJoins`: joined and never consented (null when not
   * known, e.g. a run closed after a crash).
   */
  readonly live?: { readonly emptySessions: number; readonly unconsentedJoins: number | null };
  /** Present on a run joined by `welfare-sim merge`: the shard runs it was made of, in shard order. */
  readonly mergedFrom?: readonly MergedShard[];
}

/** One shard of a merged run, as its own manifest recorded it. */
export interface MergedShard {
  readonly dir: string;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly counts: { readonly completed: number; readonly errored: number };
  readonly versions: Readonly<Record<string, string>>;
}

export function writeManifest(runDir: string, manifest: RunManifest): void {
  writeJsonAtomic(runFile(runDir, 'manifest'), manifest);
}

/**
 * For a folder of runs (`runs/quickstart`) named where one run belongs: the run it most likely meant, its
 * `latest` link or else its newest run.
 */
export function runDirHint(dir: string): string {
  if (existsSync(runFile(join(dir, 'latest'), 'manifest'))) return `; did you mean ${join(dir, 'latest')} (the newest run)?`;
  let runs: string[] = [];
  try {
    runs = readdirSync(dir).filter((name) => existsSync(runFile(join(dir, name), 'manifest'))).sort();
  } catch {
    return '';
  }
  const newest = runs.at(-1);
  return newest === undefined ? '' : `; did you mean ${join(dir, newest)} (the newest of ${runs.length} runs here)?`;
}

export function readManifest(runDir: string): RunManifest {
  const path = runFile(runDir, 'manifest');
  if (!existsSync(path)) throw InputError.one(path, '', `expected a run directory with a manifest.json, found no such file${runDirHint(runDir)}`);
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
    if (manifest.formatVersion !== 1) {
      throw InputError.one(path, 'formatVersion', `expected 1, found ${JSON.stringify(manifest.formatVersion)}`);
    }
    return manifest;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw InputError.one(path, '', 'expected a JSON manifest, found a file that does not parse');
  }
}

/** A stable hash of a JSON value: object keys sorted, so the same configuration always hashes the same. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
