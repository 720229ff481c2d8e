/** Reads a finished run directory: its manifest, metrics and conversation records, each checked against its schema. */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../common/input-error.ts';
import type { ConversationRecord, MetricsFile } from '../core/records.ts';
import { readManifest, type RunManifest } from './manifest.ts';
import { runFile } from './run-directory.ts';
import { readRecords } from './run-records.ts';
import { schemaCheck } from './schemas/check-record.ts';
import { metricsFileSchema } from './schemas/metrics-schema.ts';

const checkMetrics = schemaCheck(metricsFileSchema, 'version');

export function readMetrics(runDir: string): MetricsFile {
  const metrics = readMetricsIfAny(runDir);
  if (metrics === null) {
    throw InputError.one(runFile(runDir, 'metrics'), '', 'expected the metrics of a finished run, found no such file (finish the run with --resume first)');
  }
  return metrics;
}

/** metrics.json, or null before the run has finished. */
export function readMetricsIfAny(runDir: string): MetricsFile | null {
  const path = runFile(runDir, 'metrics');
  if (!existsSync(path)) return null;
  let metrics: unknown;
  try {
    metrics = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw InputError.one(path, '', 'expected JSON metrics, found a file that does not parse');
  }
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) throw InputError.one(path, '', 'expected a JSON object');
  return checkMetrics(metrics, path, 0);
}

export async function readConversations(runDir: string): Promise<ConversationRecord[]> {
  const records: ConversationRecord[] = [];
  for await (const { record } of readRecords(runDir, 'conversations')) records.push(record);
  return records;
}

export interface FinishedRun {
  readonly runDir: string;
  readonly manifest: RunManifest;
  readonly metrics: MetricsFile;
}

export function readFinishedRun(runDir: string): FinishedRun {
  return { runDir, manifest: readManifest(runDir), metrics: readMetrics(runDir) };
}
