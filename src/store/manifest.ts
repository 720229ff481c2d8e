/**
 * manifest.json: what was run (the resolved configuration and its hash), with which versions, and how far it got.
 * Rewritten atomically at the start, on resume and at the end.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../common/input-error.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { checkFormatVersion, FORMAT_VERSION } from './format-version.ts';
import { runFile } from './run-directory.ts';
import { schemaCheck } from './schemas/check-record.ts';
import { describes } from './schemas/describes.ts';
import { countSchema } from './schemas/record-schemas.ts';

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';

export interface RunManifest {
  readonly formatVersion: typeof FORMAT_VERSION;
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

const count = countSchema;
const counts = z.object({ completed: count, errored: count });
const shard = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).nullable();
const versions = z.record(z.string(), z.string());
export const modelCallStatsSchema = describes<ModelCallStats>()(
  z.object({ calls: count, cacheHits: count, inputTokens: count, outputTokens: count, estimatedCostUsd: z.number() }),
);
const mergedShard = describes<MergedShard>()(
  z.object({ dir: z.string(), shard, startedAt: z.string(), finishedAt: z.string().nullable(), counts, versions }),
);

const manifestSchema = describes<RunManifest>()(
  z.object({
    formatVersion: z.literal(FORMAT_VERSION),
    tool: z.object({ name: z.literal('welfare-sim'), version: z.string() }),
    experiment: z.string(),
    experimentFile: z.string(),
    configHash: z.string(),
    seed: z.number(),
    shard,
    planned: count,
    gridSize: count,
    startedAt: z.string(),
    resumedAt: z.array(z.string()),
    finishedAt: z.string().nullable(),
    status: z.enum(['running', 'complete', 'interrupted', 'failed']),
    counts,
    modelCalls: z.record(z.string(), modelCallStatsSchema),
    versions,
    config: z.unknown(),
    cacheDir: z.string().optional(),
    live: z.object({ emptySessions: count, unconsentedJoins: count.nullable() }).optional(),
    mergedFrom: z.array(mergedShard).optional(),
  }),
);
const checkManifest = schemaCheck(manifestSchema, 'formatVersion');

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

/** The manifest of a run, checked: its format version first, then every field. */
export function readManifest(runDir: string): RunManifest {
  const path = runFile(runDir, 'manifest');
  return checkManifest(readManifestObject(runDir), path, 0);
}

/**
 * The manifest as a JSON object with this welfare-sim's format version, its other fields unchecked: for the report,
 * which shows whatever a manifest holds and decides nothing on it.
 */
export function readManifestLoosely(runDir: string): Readonly<Record<string, unknown>> {
  const path = runFile(runDir, 'manifest');
  const manifest = readManifestObject(runDir);
  checkFormatVersion(manifest.formatVersion, path, 'formatVersion');
  return manifest;
}

function readManifestObject(runDir: string): Record<string, unknown> {
  const path = runFile(runDir, 'manifest');
  if (!existsSync(path)) throw InputError.one(path, '', `expected a run directory with a manifest.json, found no such file${runDirHint(runDir)}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw InputError.one(path, '', 'expected a JSON manifest, found a file that does not parse');
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw InputError.one(path, '', 'expected a JSON object');
  return manifest as Record<string, unknown>;
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
