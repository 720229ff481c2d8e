/**
 * What an interrupted run already holds. A conversation is done when its record is in conversations.jsonl;
 * events of conversations without a record (cut off by the interruption) are removed, so the resumed run
 * writes them once, whole.
 */
import { createWriteStream, existsSync, renameSync, unlinkSync } from 'node:fs';
import { once } from 'node:events';
import type { ConversationRecord, RunEvent } from '../core/records.ts';
import { readJsonl, repairTornTail } from '../store/jsonl-reader.ts';
import { runFile } from '../store/run-directory.ts';
import { InputError } from '../config/input-error.ts';

export interface ResumeState {
  readonly doneIndices: ReadonlySet<number>;
  readonly errored: number;
}

export async function prepareResume(runDir: string): Promise<ResumeState> {
  const conversationsPath = runFile(runDir, 'conversations');
  const eventsPath = runFile(runDir, 'events');
  repairTornTail(conversationsPath);
  repairTornTail(eventsPath);

  const doneIndices = new Set<number>();
  const doneIds = new Set<string>();
  let errored = 0;
  for await (const { record, line } of readJsonl<ConversationRecord>(conversationsPath)) {
    if (doneIndices.has(record.index)) {
      throw InputError.one(conversationsPath, `line ${line}`, `expected each conversation once, found index ${record.index} again`);
    }
    doneIndices.add(record.index);
    doneIds.add(record.id);
    if (record.status === 'errored') errored += 1;
  }
  if (existsSync(eventsPath)) await dropIncompleteEvents(eventsPath, doneIds);
  return { doneIndices, errored };
}

async function dropIncompleteEvents(path: string, doneIds: ReadonlySet<string>): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(temporary);
  let dropped = 0;
  for await (const { record, text } of readJsonl<RunEvent>(path)) {
    if (!doneIds.has(record.conversation)) {
      dropped += 1;
      continue;
    }
    if (!out.write(text + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  if (dropped > 0) renameSync(temporary, path);
  else unlinkSync(temporary);
}
