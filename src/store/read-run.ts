/** Reads a finished run directory: its manifest, metrics and conversation records. */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../shared/input-error.ts';
import type { ConversationRecord, MetricsFile } from '../core/records.ts';
import { readJsonl } from './jsonl-reader.ts';
import { readManifest, type RunManifest } from './manifest.ts';
import { runFile } from './run-directory.ts';

export function readMetrics(runDir: string): MetricsFile {
  const path = runFile(runDir, 'metrics');
  if (!existsSync(path)) {
    throw InputError.one(path, '', 'expected the metrics of a finished run, found no such file (finish the run with --resume first)');
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as MetricsFile;
  } catch {
    throw InputError.one(path, '', 'expected JSON metrics, found a file that does not parse');
  }
}

export async function readConversations(runDir: string): Promise<ConversationRecord[]> {
  const records: ConversationRecord[] = [];
  for await (const { record } of readJsonl<ConversationRecord>(runFile(runDir, 'conversations'))) records.push(record);
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
