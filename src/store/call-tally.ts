/**
 * model-calls.jsonl: the run's tally of paid model calls, written as the calls happen, so that the manifest counts
 * every call of the run — not only the last process's — when a run is interrupted, killed and resumed. Each line is
 * one process's running totals `{ v: 1, process, modelCalls }`; the run's totals are the sum, over processes, of
 * each one's last line. A line torn by a kill is skipped (the line before it still holds that process's totals,
 * short of the one call it was recording). Simulated runs make no paid calls and get no file.
 */
import { existsSync } from 'node:fs';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import { z } from 'zod';
import { FORMAT_VERSION } from './format-version.ts';
import { JsonlAppender } from './jsonl-appender.ts';
import { LineCursor } from './line-cursor.ts';
import { modelCallStatsSchema } from './manifest.ts';
import { sumModelCalls } from './merged-manifest.ts';
import { runFile } from './run-directory.ts';
import { schemaCheck } from './schemas/check-record.ts';
import { describes } from './schemas/describes.ts';

type Calls = Readonly<Record<string, ModelCallStats>>;

interface TallyLine {
  readonly v: typeof FORMAT_VERSION;
  readonly process: string;
  readonly modelCalls: Calls;
}

const checkTallyLine = schemaCheck(
  describes<TallyLine>()(z.object({ v: z.literal(FORMAT_VERSION), process: z.string(), modelCalls: z.record(z.string(), modelCallStatsSchema) })),
  'v',
);

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
      const path = runFile(this.runDir, 'modelCalls');
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
  const path = runFile(runDir, 'modelCalls');
  if (!existsSync(path)) return null;
  const last = new Map<string, Calls>();
  // A line torn by a kill is skipped: the appends of the resumed process follow it on the same line.
  const cursor = new LineCursor(path, checkTallyLine, 'skip');
  for (let line = cursor.take(); line !== null; line = cursor.take()) last.set(line.record.process, line.record.modelCalls);
  return sumModelCalls([...last.values()]);
}
