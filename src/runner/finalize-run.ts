/**
 * Closes a run: puts conversations.jsonl in canonical (grid) order and computes metrics.json from it.
 * With a synchronous model the file is already in order and is only read; concurrent or resumed runs are sorted.
 */
import { notMeasuredByPolicy } from '../core/measurability-config.ts';
import { MetricsAccumulator } from '../core/metrics.ts';
import type { MetricsFile } from '../core/records.ts';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write.ts';
import { runFile } from '../store/run-directory.ts';
import { readRecords, readRecordsNow } from '../store/run-records.ts';

/** `config`: the resolved configuration the manifest records, for the "not measured" notes (none without it). */
export async function finalizeRun(runDir: string, experiment: string, config?: unknown): Promise<MetricsFile> {
  if (!(await isCanonical(runDir))) sortByIndex(runDir);
  const accumulator = new MetricsAccumulator(experiment, notMeasuredByPolicy(config));
  for await (const { record } of readRecords(runDir, 'conversations')) accumulator.add(record);
  const metrics = accumulator.result();
  writeJsonAtomic(runFile(runDir, 'metrics'), metrics);
  return metrics;
}

async function isCanonical(runDir: string): Promise<boolean> {
  let previous = -1;
  for await (const { record } of readRecords(runDir, 'conversations')) {
    if (record.index <= previous) return false;
    previous = record.index;
  }
  return true;
}

/** Rewrites the file sorted by grid index. Runs that need it are concurrent real-model or resumed ones. */
function sortByIndex(runDir: string): void {
  const keyed = readRecordsNow(runDir, 'conversations', (line) => ({ index: line.record.index, text: line.text }));
  keyed.sort((a, b) => a.index - b.index);
  writeFileAtomic(runFile(runDir, 'conversations'), keyed.map((k) => k.text + '\n').join(''));
}
