/**
 * The torn last line of a JSON-lines file (a write cut short), found before resume repairs it, so that resume can
 * tell a crash artefact from damage to data the run had already recorded.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { hasTornTail } from './jsonl-reader.ts';

export interface TornLine {
  /** 1-based line number of the torn line. */
  readonly line: number;
  readonly text: string;
}

/** The torn last line and its number, or null when the file ends with a newline (or does not exist). */
export async function readTornTail(path: string): Promise<TornLine | null> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  if (!hasTornTail(path)) return null;
  let newlines = 0;
  let lastNewlineEnd = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
      newlines += 1;
      lastNewlineEnd = offset + at + 1;
    }
    offset += chunk.length;
  }
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(size - lastNewlineEnd);
    readSync(fd, tail, 0, tail.length, lastNewlineEnd);
    return { line: newlines + 1, text: tail.toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
