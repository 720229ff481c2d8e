/**
 * The JSON-lines records of a run directory, read and checked against their schemas: conversations.jsonl,
 * events.jsonl and live-cells.jsonl. A record that is not of this welfare-sim's format is one clear line (file,
 * line, field, expected, found), never a value cast and used.
 */
import type { ConversationRecord, LiveCellLine, RunEvent } from '../core/records.ts';
import { LineCursor, type DamagedLines, type JsonlLine, type RecordCheck } from './line-cursor.ts';
import { readJsonl } from './jsonl-reader.ts';
import { runFile } from './run-directory.ts';
import { schemaCheck } from './schemas/check-record.ts';
import { conversationRecordSchema, liveCellLineSchema, runEventSchema } from './schemas/record-schemas.ts';

export interface RunRecords {
  readonly conversations: ConversationRecord;
  readonly events: RunEvent;
  readonly liveCells: LiveCellLine;
}
export type RecordFile = keyof RunRecords;

const CHECKS: { readonly [K in RecordFile]: RecordCheck<RunRecords[K]> } = {
  conversations: schemaCheck(conversationRecordSchema, 'v'),
  events: schemaCheck(runEventSchema, 'v'),
  // live-cells.jsonl lines carry no version of their own: the manifest's covers them.
  liveCells: schemaCheck(liveCellLineSchema, null),
};

/** A cursor over one record file of a run (a missing file reads as empty); close it when stopping early. */
export function recordCursor<K extends RecordFile>(runDir: string, file: K, damaged?: DamagedLines): LineCursor<RunRecords[K]> {
  return new LineCursor(runFile(runDir, file), CHECKS[file], damaged);
}

/**
 * Every record of one file of a run, in file order, with its line number and text. `damaged: 'readLastIfWhole'`
 * is for readers that change nothing (the report): see LineCursor.
 */
export function readRecords<K extends RecordFile>(runDir: string, file: K, damaged?: DamagedLines): AsyncGenerator<JsonlLine<RunRecords[K]>> {
  return readJsonl(runFile(runDir, file), CHECKS[file], damaged);
}

/** `pick` of every line of one file, synchronously (a replay model is built before its run starts). */
export function readRecordsNow<K extends RecordFile, R>(runDir: string, file: K, pick: (line: JsonlLine<RunRecords[K]>) => R): R[] {
  const cursor = recordCursor(runDir, file);
  const picked: R[] = [];
  try {
    for (let line = cursor.take(); line !== null; line = cursor.take()) picked.push(pick(line));
  } finally {
    cursor.close();
  }
  return picked;
}
