/**
 * A JSON-lines file read one record at a time with one record of look-ahead, for merges that must decide whether
 * the next line belongs to the current group before taking it. Reads synchronously into a reused buffer and makes
 * a string of one line at a time: a merge holds several cursors open over files of gigabytes, and nothing of a
 * line outlives the moment it is copied, so memory stays flat. Damaged lines are reported as readJsonl reports
 * them: an InputError naming the file and the line.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { parseLine, tornLineError, type JsonlLine } from './jsonl-reader.ts';

const CHUNK_BYTES = 1 << 20;

export class LineCursor<T> {
  private fd: number | null;
  private buffer = Buffer.alloc(CHUNK_BYTES);
  /** Unread bytes are buffer[start, end). */
  private start = 0;
  private end = 0;
  private eof: boolean;
  private lineNumber = 0;
  private next: JsonlLine<T> | null | undefined;
  /** Lines taken so far: after the end, the number of records in the file. */
  taken = 0;

  /** A missing file reads as empty. */
  constructor(readonly path: string) {
    this.fd = existsSync(path) ? openSync(path, 'r') : null;
    this.eof = this.fd === null;
  }

  /** The next line without taking it; null at the end of the file. */
  peek(): JsonlLine<T> | null {
    if (this.next === undefined) this.next = this.readLine();
    return this.next;
  }

  take(): JsonlLine<T> | null {
    const line = this.peek();
    if (line !== null) {
      this.next = undefined;
      this.taken += 1;
    }
    return line;
  }

  /** Releases the file (also when stopping early). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private readLine(): JsonlLine<T> | null {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a, this.start);
      if (newline >= 0 && newline < this.end) {
        const text = this.buffer.toString('utf8', this.start, newline);
        this.start = newline + 1;
        this.lineNumber += 1;
        return parseLine<T>(this.path, this.lineNumber, text);
      }
      if (this.eof) {
        if (this.start < this.end) throw tornLineError(this.path, this.lineNumber + 1);
        return null;
      }
      this.fill();
    }
  }

  /** Moves the unread bytes to the front (growing the buffer for a line longer than it) and reads more. */
  private fill(): void {
    if (this.start > 0) {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buffer.length) {
      const larger = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(larger, 0, 0, this.end);
      this.buffer = larger;
    }
    const read = readSync(this.fd as number, this.buffer, this.end, this.buffer.length - this.end, null);
    if (read === 0) this.eof = true;
    else this.end += read;
  }
}
