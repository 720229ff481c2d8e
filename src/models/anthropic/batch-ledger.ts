/**
 * batches.jsonl in the run directory: every Message Batch submitted, with the calls it carries, written (and
 * synced) before the batch is polled. After a crash or Ctrl-C the resumed run finds its calls here and re-attaches
 * to the batches already paid for instead of submitting them again.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../config/input-error.ts';
import { repairTornTail } from '../../store/jsonl-reader.ts';

export interface LedgerEntry {
  readonly v: 1;
  readonly batch: string;
  /** The call keys (also the batch's custom_ids). */
  readonly calls: readonly string[];
}

export const BATCH_LEDGER_FILE = 'batches.jsonl';

export class BatchLedger {
  private readonly batchOfCall = new Map<string, string>();

  /** Opens the ledger of a run directory, reading what earlier processes submitted. */
  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    // A line cut short by a crash mid-append loses that batch's id, so its calls are submitted again: the one
    // window (between the API accepting a batch and this line reaching the disk) in which a call can be paid twice.
    repairTornTail(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text.length === 0) return;
      let entry: LedgerEntry;
      try {
        entry = JSON.parse(text) as LedgerEntry;
      } catch {
        throw InputError.one(path, `line ${index + 1}`, `expected a JSON record of a submitted batch, found ${JSON.stringify(text.slice(0, 60))}`);
      }
      for (const call of entry.calls) this.batchOfCall.set(call, entry.batch);
    });
  }

  static inRunDirectory(runDir: string): BatchLedger {
    return new BatchLedger(join(runDir, BATCH_LEDGER_FILE));
  }

  /** The latest batch that carried this call, if any. */
  batchOf(call: string): string | undefined {
    return this.batchOfCall.get(call);
  }

  record(batch: string, calls: readonly string[]): void {
    const entry: LedgerEntry = { v: 1, batch, calls };
    appendFileSync(this.path, JSON.stringify(entry) + '\n', { flush: true });
    for (const call of calls) this.batchOfCall.set(call, batch);
  }
}
