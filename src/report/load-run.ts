/**
 * Reads a run directory into RunData: the manifest, metrics.json, then conversations.jsonl and events.jsonl
 * streamed line by line through the aggregator (nothing but the aggregates and the transcript sample is kept).
 */
import { existsSync } from 'node:fs';
import { InputError } from '../common/input-error.ts';
import { readManifestLoosely, runDirHint } from '../store/manifest.ts';
import { readMetricsIfAny } from '../store/read-run.ts';
import { RUN_FILES, runFile } from '../store/run-directory.ts';
import { readRecords } from '../store/run-records.ts';
import { RunAggregator } from './aggregate-run.ts';
import type { AggregateOptions } from './aggregate-run.ts';
import type { ManifestSummary, RunData } from './run-data.ts';

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function summariseManifest(raw: Readonly<Record<string, unknown>>): ManifestSummary {
  const seed = raw.seed;
  return {
    experiment: stringOrNull(raw.experiment) ?? 'unnamed experiment',
    status: stringOrNull(raw.status) ?? 'unknown',
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : null,
    configHash: stringOrNull(raw.configHash),
    startedAt: stringOrNull(raw.startedAt),
    finishedAt: stringOrNull(raw.finishedAt),
    raw,
  };
}

/** Loads and aggregates a run directory. Throws InputError when it is not one. */
export async function loadRun(runDir: string, options: AggregateOptions = {}): Promise<RunData> {
  if (!existsSync(runFile(runDir, 'manifest')) || !existsSync(runFile(runDir, 'conversations'))) {
    throw InputError.one(runDir, '', `expected a run directory holding ${RUN_FILES.manifest} and ${RUN_FILES.conversations}, found neither or only one${runDirHint(runDir)}`);
  }
  const manifest = readManifestLoosely(runDir);
  const metrics = readMetricsIfAny(runDir);
  const aggregator = new RunAggregator(options);
  // A file saved by an editor may end without a newline: the report reads it, as it changes nothing.
  const lenient = 'readLastIfWhole';
  for await (const { record } of readRecords(runDir, 'conversations', lenient)) aggregator.addConversation(record);
  aggregator.seal();
  for await (const { record, text } of readRecords(runDir, 'events', lenient)) aggregator.addEvent(record, text.length);
  return aggregator.finish(summariseManifest(manifest), metrics);
}
