/**
 * batches.jsonl in the run directory: every Message Batch submitted, with the calls it carries, written (and
 * synced) before the batch is polled. After a crash or Ctrl-C the resumed run finds its calls here and re-attaches
 * to the batches already paid for instead of submitting them again.
 *
 * Before each creation an intent line `{ v, submitting, calls }` is written: when the creation's reply is lost (a
 * dropped connection, a crash before the batch line reaches the disk) the batch may exist and be billed all the
 * same, and the intent says which calls and since when to look for it among the account's batches (batch-rounds.ts
 * adopts it instead of paying again).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../common/input-error.ts';
import { repairTornTail } from '../store/jsonl-reader.ts';
import { RUN_FILES, runFile } from '../store/run-directory.ts';
import { describes } from '../store/schemas/describes.ts';
import { schemaCheck } from '../store/schemas/check-record.ts';

export interface LedgerEntry {
  readonly v: 1;
  readonly batch: string;
  /** The call keys (also the batch's custom_ids). */
  readonly calls: readonly string[];
}

/** A creation about to be sent: its calls, and when (ISO time, before the request left). */
export interface IntentEntry {
  readonly v: 1;
  readonly submitting: string;
  readonly calls: readonly string[];
}

export const BATCH_LEDGER_FILE = RUN_FILES.batches;

const callsSchema = z.array(z.string());
const checkLine = schemaCheck(
  z.union([
    describes<LedgerEntry>()(z.object({ v: z.literal(1), batch: z.string(), calls: callsSchema })),
    describes<IntentEntry>()(z.object({ v: z.literal(1), submitting: z.string(), calls: callsSchema })),
  ]),
  'v',
);

export class BatchLedger {
  private readonly batchOfCall = new Map<string, string>();
  private readonly batchIds = new Set<string>();
  /** Intents no batch line has answered yet, by call. */
  private readonly openIntents = new Map<string, IntentEntry>();

  /** Opens the ledger of a run directory, reading what earlier processes submitted. */
  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    // A line cut short by a crash mid-append loses that batch's id; the intent line before it still names the
    // calls, so the resumed run looks for the batch among the account's batches rather than paying again.
    repairTornTail(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.length === 0) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null) throw new Error('not a record');
      } catch {
        throw InputError.one(path, `line ${index + 1}`, `expected a JSON record of a submitted batch, found ${JSON.stringify(text.slice(0, 60))}`);
      }
      const entry = checkLine(parsed as object, path, index + 1);
      if ('submitting' in entry) this.noteIntent(entry);
      else this.noteBatch(entry.batch, entry.calls);
    });
  }

  static inRunDirectory(runDir: string): BatchLedger {
    return new BatchLedger(runFile(runDir, 'batches'));
  }

  /** The latest batch that carried this call, if any. */
  batchOf(call: string): string | undefined {
    return this.batchOfCall.get(call);
  }

  /** Whether a batch is one of this run's (recorded here). */
  has(batch: string): boolean {
    return this.batchIds.has(batch);
  }

  /** The creation of a batch with this call that was sent and never answered by a batch line, if any. */
  openIntentOf(call: string): IntentEntry | undefined {
    return this.openIntents.get(call);
  }

  /** Writes, before a creation is sent, which calls it carries and when. */
  intend(calls: readonly string[], at: Date): IntentEntry {
    const entry: IntentEntry = { v: 1, submitting: at.toISOString(), calls };
    appendFileSync(this.path, JSON.stringify(entry) + '\n', { flush: true });
    this.noteIntent(entry);
    return entry;
  }

  record(batch: string, calls: readonly string[]): void {
    const entry: LedgerEntry = { v: 1, batch, calls };
    appendFileSync(this.path, JSON.stringify(entry) + '\n', { flush: true });
    this.noteBatch(batch, calls);
  }

  private noteIntent(entry: IntentEntry): void {
    for (const call of entry.calls) this.openIntents.set(call, entry);
  }

  private noteBatch(batch: string, calls: readonly string[]): void {
    this.batchIds.add(batch);
    for (const call of calls) {
      this.batchOfCall.set(call, batch);
      this.openIntents.delete(call);
    }
  }
}
