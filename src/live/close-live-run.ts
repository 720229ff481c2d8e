/**
 * Closes a live run directory: every conversation in live-cells.jsonl without a record in conversations.jsonl
 * (still open at shutdown, or cut off by a crash) gets one, summarised from its events — its outcome is what the
 * events imply (`not-ended` if it never ended). A conversation with no events at all is an empty session (consented,
 * nothing sent): it gets no record, so it never counts in the metrics, and is counted in the manifest's `live`.
 * Then metrics.json and the manifest are written. Safe to run again.
 */
import { erroredConversation, summarizeConversation } from '../core/conversation-summary.ts';
import type { ConversationRecord, LiveCellLine, RunEvent } from '../core/records.ts';
import { finalizeRun } from '../runner/finalize-run.ts';
import { JsonlAppender } from '../store/jsonl-appender.ts';
import { repairTornTail } from '../store/jsonl-reader.ts';
import { readManifest, writeManifest } from '../store/manifest.ts';
import { runFile } from '../store/run-directory.ts';
import { readRecords } from '../store/run-records.ts';
import { inferLiveClass } from './live-class.ts';

/** A conversation's record from its cell line and events; the class is inferred when it was not given. */
export function summarizeLive(line: LiveCellLine, events: readonly RunEvent[], error?: string): ConversationRecord {
  const cell = line.classGiven ? line.cell : { ...line.cell, class: inferLiveClass(events) };
  return error === undefined ? summarizeConversation(cell, events) : erroredConversation(cell, events, error);
}

export async function closeLiveRun(runDir: string, now: () => Date, unconsentedJoins?: number): Promise<void> {
  // A crash mid-append can leave one torn line at the end of a file; it was never acknowledged, so it is cut.
  for (const file of ['events', 'conversations', 'liveCells'] as const) repairTornTail(runFile(runDir, file));
  const recorded = new Set<string>();
  let errored = 0;
  for await (const { record } of readRecords(runDir, 'conversations')) {
    recorded.add(record.id);
    if (record.status === 'errored') errored += 1;
  }
  const open: LiveCellLine[] = [];
  for await (const { record } of readRecords(runDir, 'liveCells')) {
    if (!recorded.has(record.cell.id)) open.push(record);
  }
  let written = 0;
  if (open.length > 0) {
    const byConversation = new Map<string, RunEvent[]>(open.map((line) => [line.cell.id, []]));
    for await (const { record } of readRecords(runDir, 'events')) byConversation.get(record.conversation)?.push(record);
    const appender = new JsonlAppender(runFile(runDir, 'conversations'));
    for (const line of open) {
      const events = byConversation.get(line.cell.id) ?? [];
      if (events.length === 0) continue;
      appender.append(summarizeLive(line, events));
      written += 1;
    }
    appender.close();
  }
  const manifest = readManifest(runDir);
  await finalizeRun(runDir, manifest.experiment, manifest.config);
  const completed = recorded.size + written;
  writeManifest(runDir, {
    ...manifest,
    status: 'complete',
    finishedAt: now().toISOString(),
    planned: completed,
    gridSize: completed,
    counts: { completed, errored },
    live: { emptySessions: open.length - written, unconsentedJoins: unconsentedJoins ?? manifest.live?.unconsentedJoins ?? null },
  });
}
