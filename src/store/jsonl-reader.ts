/**
 * Reads a JSON-lines file record by record, with line numbers. A damaged line is never skipped silently: it is
 * reported with its line number. A torn last line (a crash mid-write) is reported as such, so resume can repair it.
 */
import { createReadStream, existsSync, openSync, readSync, closeSync, statSync, truncateSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../shared/input-error.ts';

export interface JsonlLine<T> {
  readonly line: number;
  readonly record: T;
  readonly text: string;
}

/** Yields every record; throws InputError naming the file and line for any line that is not a JSON object. */
export async function* readJsonl<T = unknown>(path: string): AsyncGenerator<JsonlLine<T>> {
  if (!existsSync(path)) return;
  const torn = hasTornTail(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let pending: string | undefined;
  for await (const text of lines) {
    if (pending !== undefined) yield parseLine<T>(path, line, pending);
    line += 1;
    pending = text;
  }
  if (pending !== undefined) {
    if (torn) throw tornLineError(path, line);
    yield parseLine<T>(path, line, pending);
  }
}

/** The error for a last line without its newline (a write cut short). */
export function tornLineError(path: string, line: number): InputError {
  return InputError.one(path, `line ${line}`, 'expected a complete JSON line, found a line cut short (the run was interrupted mid-write; resume repairs it)');
}

/** Parses one line; an InputError naming the file and line when it is not a JSON object. */
export function parseLine<T>(path: string, line: number, text: string): JsonlLine<T> {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw InputError.one(path, `line ${line}`, `expected a JSON record, found ${JSON.stringify(text.slice(0, 60))}`);
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw InputError.one(path, `line ${line}`, `expected a JSON object, found ${JSON.stringify(text.slice(0, 60))}`);
  }
  return { line, record: record as T, text };
}

/** True when the file does not end with a newline: its last line was cut short. */
export function hasTornTail(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** Cuts a torn last line off (a crash mid-append); returns whether anything was cut. */
export function repairTornTail(path: string): boolean {
  if (!existsSync(path) || !hasTornTail(path)) return false;
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, end - start).lastIndexOf(0x0a);
      if (newline >= 0) {
        truncateSync(path, start + newline + 1);
        return true;
      }
      end = start;
    }
    truncateSync(path, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}
