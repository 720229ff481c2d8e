/**
 * What an interrupted run already holds. A conversation is done when its record is in conversations.jsonl;
 * events of conversations without a record (cut off by the interruption) are removed, so the resumed run
 * writes them once, whole. Events are flushed before the records that summarise them, so a crash can only tear
 * or cut short the events of a conversation without a record: a done conversation whose events are not all there
 * is damage, and resume refuses it (naming the file and line) rather than cut it away.
 *
 * An errored conversation (a model call that failed after its retries: an outage, a refused key) is not done:
 * resume removes its record and events and runs it again.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { once } from 'node:events';
import { repairTornTail } from '../store/jsonl-reader.ts';
import { runFile } from '../store/run-directory.ts';
import { readRecords } from '../store/run-records.ts';
import { readTornTail } from '../store/torn-tail.ts';
import { InputError, type InputProblem } from '../common/input-error.ts';

export interface ResumeState {
  readonly doneIndices: ReadonlySet<number>;
  /** Errored conversations left in the run (none: resume retries them). */
  readonly errored: number;
  /** Errored conversations whose records were removed to be run again. */
  readonly retried: number;
}

export async function prepareResume(runDir: string): Promise<ResumeState> {
  const conversationsPath = runFile(runDir, 'conversations');
  const eventsPath = runFile(runDir, 'events');
  repairTornTail(conversationsPath);

  const doneIndices = new Set<number>();
  /** Done conversation id → how many events its record summarises. */
  const expectedEvents = new Map<string, number>();
  const erroredLines = new Set<number>();
  const erroredIndices = new Set<number>();
  for await (const { record, line } of readRecords(runDir, 'conversations')) {
    if (doneIndices.has(record.index) || erroredIndices.has(record.index)) {
      throw InputError.one(conversationsPath, `line ${line}`, `expected each conversation once, found index ${record.index} again`);
    }
    if (record.status === 'errored') {
      erroredLines.add(line);
      erroredIndices.add(record.index);
      continue;
    }
    doneIndices.add(record.index);
    expectedEvents.set(record.id, record.turns + record.blockedAfterEnd + record.branches + record.newChats);
  }
  if (erroredLines.size > 0) dropLines(conversationsPath, erroredLines);
  if (existsSync(eventsPath)) await keepEventsOfDone(runDir, expectedEvents);
  return { doneIndices, errored: 0, retried: erroredLines.size };
}

/** Rewrites a jsonl file without the given (1-based) lines. */
function dropLines(path: string, lines: ReadonlySet<number>): void {
  const kept = readFileSync(path, 'utf8').split('\n').filter((text, index) => text.length > 0 && !lines.has(index + 1));
  writeFileAtomic(path, kept.map((text) => `${text}\n`).join(''));
}

/** Rewrites events.jsonl with the events of done conversations only, after checking none of them lost any. */
async function keepEventsOfDone(runDir: string, expected: ReadonlyMap<string, number>): Promise<void> {
  const path = runFile(runDir, 'events');
  const torn = await readTornTail(path);
  const temporary = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(temporary);
  const seen = new Map<string, number>();
  let dropped = 0;
  try {
    if (torn === null || torn.line > 1) {
      for await (const { record, text, line } of readRecords(runDir, 'events')) {
        if (!expected.has(record.conversation)) {
          dropped += 1;
        } else {
          seen.set(record.conversation, (seen.get(record.conversation) ?? 0) + 1);
          if (!out.write(text + '\n')) await once(out, 'drain');
        }
        // Stop before the torn line: it is checked below, through the counts, and never copied.
        if (torn !== null && line === torn.line - 1) break;
      }
    }
  } catch (error) {
    out.end();
    await once(out, 'finish');
    rmSync(temporary, { force: true });
    throw error;
  }
  out.end();
  await once(out, 'finish');
  const problems = missingEvents(path, expected, seen, torn?.line ?? null);
  if (problems.length > 0) {
    unlinkSync(temporary);
    throw new InputError(problems);
  }
  if (dropped > 0 || torn !== null) renameSync(temporary, path);
  else unlinkSync(temporary);
}

function missingEvents(path: string, expected: ReadonlyMap<string, number>, seen: ReadonlyMap<string, number>, tornLine: number | null): InputProblem[] {
  const short: string[] = [];
  for (const [id, count] of expected) {
    const found = seen.get(id) ?? 0;
    if (found !== count) short.push(`${id} (${count} expected, ${found} found)`);
  }
  if (short.length === 0) return [];
  const which = `${short.slice(0, 3).join(', ')}${short.length > 3 ? ` and ${short.length - 3} more` : ''}`;
  const recorded = 'although conversations.jsonl records them as done (the file was damaged after it was written)';
  if (tornLine !== null) {
    return [{ file: path, path: `line ${tornLine}`, message: `expected a complete JSON line, found a line cut short; events are missing for ${which} ${recorded}` }];
  }
  return [{ file: path, path: '', message: `expected every event of each recorded conversation, found events missing for ${which} ${recorded}` }];
}
