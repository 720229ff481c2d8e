/**
 * model-calls.jsonl: the run's tally of paid model calls, written as the calls happen, so that the manifest counts
 * every call of the run — not only the last process's — when a run is interrupted, killed and resumed. Each line is
 * one process's running totals `{ v: 1, process, modelCalls }`; the run's totals are the sum, over processes, of
 * each one's last line. A line torn by a kill is skipped (the line before it still holds that process's totals,
 * short of the one call it was recording). Simulated runs make no paid calls and get no file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCallStats } from '../shared/model-call-stats.ts';
import { JsonlAppender } from './jsonl-appender.ts';
import { sumModelCalls } from './merged-manifest.ts';

export const CALL_TALLY_FILE = 'model-calls.jsonl';

type Calls = Readonly<Record<string, ModelCallStats>>;

interface TallyLine {
  readonly v: 1;
  readonly process: string;
  readonly modelCalls: Calls;
}

export class CallTally {
  private appender: JsonlAppender | null = null;

  constructor(
    private readonly runDir: string,
    private readonly process: string,
  ) {}

  /**
   * Appends this process's running totals, on disk before it returns. `carried`: totals of earlier processes that
   * predate the tally file (an older run's manifest), written once under their own name when the file is created.
   */
  record(modelCalls: Calls, carried?: Calls): void {
    if (this.appender === null) {
      const path = join(this.runDir, CALL_TALLY_FILE);
      const fresh = !existsSync(path);
      this.appender = new JsonlAppender(path);
      if (fresh && carried !== undefined && Object.keys(carried).length > 0) {
        this.appender.append({ v: 1, process: 'before model-calls.jsonl', modelCalls: carried } satisfies TallyLine);
      }
    }
    this.appender.append({ v: 1, process: this.process, modelCalls } satisfies TallyLine);
    this.appender.flush();
  }

  close(): void {
    this.appender?.close();
    this.appender = null;
  }
}

/** The run's totals: each process's last line, summed; null when the run has no tally (no paid calls yet). */
export function readCallTally(runDir: string): Record<string, ModelCallStats> | null {
  const path = join(runDir, CALL_TALLY_FILE);
  if (!existsSync(path)) return null;
  const last = new Map<string, Calls>();
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let line: TallyLine;
    try {
      line = JSON.parse(text) as TallyLine;
    } catch {
      continue; // a line torn by a kill
    }
    last.set(line.process, line.modelCalls);
  }
  return sumModelCalls([...last.values()]);
}
