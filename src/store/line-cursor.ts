/**
 * The one reader of JSON-lines files: one record at a time, with one record of look-ahead (merges decide whether
 * the next line belongs to the current group before taking it). Reads synchronously into a reused buffer and makes
 * a string of one line at a time: a merge holds several cursors open over files of gigabytes, and nothing of a
 * line outlives the moment it is copied, so memory stays flat. A damaged line is never skipped: it is an
 * InputError naming the file and the line (a torn last line, a crash mid-write, says how to repair it).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../common/input-error.ts';
import { runFile } from './run-directory.ts';

const CHUNK_BYTES = 1 << 20;

export interface JsonlLine<T> {
  readonly line: number;
  readonly record: T;
  readonly text: string;
}

/** Checks a parsed JSON object and returns it as a record; throws an InputError naming `path` and `line`. */
export type RecordCheck<T> = (value: object, path: string, line: number) => T;

/**
 * What a line that is not a whole JSON object means. `refuse` (the default): damage, an InputError. `readLastIfWhole`:
 * the same, except a last line without its newline that parses is a record (a file saved by an editor).
 * `skip`: a line torn by a kill, skipped (a running tally whose earlier lines still hold the totals).
 */
export type DamagedLines = 'refuse' | 'readLastIfWhole' | 'skip';

const asIs = <T>(value: object): T => value as T;

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

  /**
   * A missing file reads as empty. Without `check` a record is any JSON object (a file with no schema). A torn
   * last line, as a crash mid-append leaves it, is refused unless `damaged` says otherwise: only resume or close
   * may cut it off.
   */
  constructor(
    readonly path: string,
    private readonly check: RecordCheck<T> = asIs,
    private readonly damaged: DamagedLines = 'refuse',
  ) {
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
        // A file edited on Windows ends its lines with \r\n: the \r is not part of the record.
        const stop = newline > this.start && this.buffer[newline - 1] === 0x0d ? newline - 1 : newline;
        const text = this.buffer.toString('utf8', this.start, stop);
        this.start = newline + 1;
        this.lineNumber += 1;
        if (this.damaged === 'skip' && !isJsonObject(text)) continue;
        return { line: this.lineNumber, record: this.check(parseObject(this.path, this.lineNumber, text), this.path, this.lineNumber), text };
      }
      if (this.eof) {
        if (this.start < this.end) return this.lastLine();
        this.close();
        return null;
      }
      this.fill();
    }
  }

  private lastLine(): JsonlLine<T> | null {
    const text = this.buffer.toString('utf8', this.start, this.end);
    this.start = this.end;
    this.lineNumber += 1;
    if (this.damaged === 'skip' && !isJsonObject(text)) return null;
    if (this.damaged === 'refuse' || !isJsonObject(text)) throw tornLineError(this.path, this.lineNumber);
    return { line: this.lineNumber, record: this.check(parseObject(this.path, this.lineNumber, text), this.path, this.lineNumber), text };
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

/** The error for a last line without its newline (a write cut short), with the command that repairs it. */
export function tornLineError(path: string, line: number): InputError {
  const dir = dirname(path);
  // A live session (it has live-cells.jsonl) cannot be resumed, its participants are gone: it is closed.
  const repair = existsSync(runFile(dir, 'liveCells')) ? `\`welfare-sim serve --close ${dir}\`` : `\`welfare-sim run --resume ${dir}\``;
  return InputError.one(path, `line ${line}`, `expected a complete JSON line, found a line cut short (the run was interrupted mid-write; ${repair} repairs it)`);
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** One line as a JSON object; an InputError naming the file and line when it is not one. */
function parseObject(path: string, line: number, text: string): object {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw InputError.one(path, `line ${line}`, `expected a JSON record, found ${JSON.stringify(text.slice(0, 60))}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw InputError.one(path, `line ${line}`, `expected a JSON object, found ${JSON.stringify(text.slice(0, 60))}`);
  }
  return value;
}
