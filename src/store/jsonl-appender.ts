/**
 * Appends whole JSON lines to a file. Lines are buffered and written with one `write` per flush on a file opened
 * for appending, so a crash leaves at most one torn line at the end (which resume repairs), never an interleaving.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

const FLUSH_BYTES = 256 * 1024;

export class JsonlAppender {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedBytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Queues one record; it reaches the disk at the next flush. */
  append(record: unknown): void {
    const line = JSON.stringify(record) + '\n';
    this.buffer.push(line);
    this.bufferedBytes += line.length;
  }

  /** Queues text that is already whole JSON lines (each ending in a newline). */
  appendText(lines: string): void {
    if (lines.length === 0) return;
    this.buffer.push(lines);
    this.bufferedBytes += lines.length;
  }

  get shouldFlush(): boolean {
    return this.bufferedBytes >= FLUSH_BYTES;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.bufferedBytes = 0;
  }

  close(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
