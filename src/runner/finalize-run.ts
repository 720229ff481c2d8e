/**
 * Closes a run: puts conversations.jsonl in canonical (grid) order and computes metrics.json from it.
 * With a synchronous model the file is already in order and is only read; concurrent or resumed runs are sorted.
 */
import { readFileSync } from 'node:fs';
import { notMeasuredByPolicy } from '../core/measurability-config.ts';
import { MetricsAccumulator } from '../core/metrics.ts';
import type { ConversationRecord, MetricsFile } from '../core/records.ts';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write.ts';
import { readJsonl } from '../store/jsonl-reader.ts';
import { runFile } from '../store/run-directory.ts';

/** `config`: the resolved configuration the manifest records, for the "not measured" notes (none without it). */
export async function finalizeRun(runDir: string, experiment: string, config?: unknown): Promise<MetricsFile> {
  const path = runFile(runDir, 'conversations');
  if (!(await isCanonical(path))) sortByIndex(path);
  const accumulator = new MetricsAccumulator(experiment, notMeasuredByPolicy(config));
  for await (const { record } of readJsonl<ConversationRecord>(path)) accumulator.add(record);
  const metrics = accumulator.result();
  writeJsonAtomic(runFile(runDir, 'metrics'), metrics);
  return metrics;
}

async function isCanonical(path: string): Promise<boolean> {
  let previous = -1;
  for await (const { record } of readJsonl<ConversationRecord>(path)) {
    if (record.index <= previous) return false;
    previous = record.index;
  }
  return true;
}

/** Rewrites the file sorted by grid index. Runs that need it are concurrent real-model or resumed ones. */
function sortByIndex(path: string): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.length > 0);
  const keyed = lines.map((line) => ({ index: (JSON.parse(line) as ConversationRecord).index, line }));
  keyed.sort((a, b) => a.index - b.index);
  writeFileAtomic(path, keyed.map((k) => k.line + '\n').join(''));
}
