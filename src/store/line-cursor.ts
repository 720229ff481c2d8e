/**
 * A JSON-lines file read one record at a time with one record of look-ahead, for merges that must decide whether
 * the next line belongs to the current group before taking it. Damaged lines surface as readJsonl reports them:
 * an InputError naming the file and the line.
 */
import { readJsonl, type JsonlLine } from './jsonl-reader.ts';

export class LineCursor<T> {
  private readonly lines: AsyncGenerator<JsonlLine<T>>;
  private next: JsonlLine<T> | null | undefined;
  /** Lines taken so far: after the end, the number of records in the file. */
  taken = 0;

  constructor(readonly path: string) {
    this.lines = readJsonl<T>(path);
  }

  /** The next line without taking it; null at the end of the file. */
  async peek(): Promise<JsonlLine<T> | null> {
    if (this.next === undefined) {
      const step = await this.lines.next();
      this.next = step.done ? null : step.value;
    }
    return this.next;
  }

  async take(): Promise<JsonlLine<T> | null> {
    const line = await this.peek();
    if (line !== null) {
      this.next = undefined;
      this.taken += 1;
    }
    return line;
  }

  /** Stops reading early and releases the file. */
  async close(): Promise<void> {
    await this.lines.return(undefined);
  }
}
