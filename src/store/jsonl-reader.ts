/**
 * JSON-lines files read as a stream of records (an async iteration over a LineCursor, the one reader), and the
 * torn last line a crash mid-append leaves: found, and cut off by the commands that repair a run.
 */
import { closeSync, existsSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { LineCursor, type DamagedLines, type JsonlLine, type RecordCheck } from './line-cursor.ts';

/** Yields every record of a file (none when it does not exist); a damaged line is an InputError naming it. */
export async function* readJsonl<T>(path: string, check?: RecordCheck<T>, damaged?: DamagedLines): AsyncGenerator<JsonlLine<T>> {
  const cursor = new LineCursor<T>(path, check, damaged);
  try {
    for (let line = cursor.take(); line !== null; line = cursor.take()) yield line;
  } finally {
    cursor.close();
  }
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
