/**
 * Which conversations the report keeps whole. A page cannot hold 100,000 transcripts, so it holds a
 * deterministic, stratified sample: round-robin over every (policy, model, class, outcome) cell, so every
 * outcome of every policy is readable, preferring within a cell the conversations with vetoed ends or branches
 * (where the interesting welfare questions are), then grid order.
 */
import type { ConversationRecord } from '../core/records.ts';

const interest = (record: ConversationRecord): number =>
  (record.vetoedEnds > 0 ? 2 : 0) + (record.branches > 0 ? 1 : 0) + (record.status === 'errored' ? 1 : 0);

/** Ids of at most `size` conversations, most representative first. */
export function chooseTranscriptSample(records: readonly ConversationRecord[], size: number): string[] {
  const cells = new Map<string, ConversationRecord[]>();
  for (const record of records) {
    const key = [record.policy, record.model, record.class, record.outcome].join('\u0000');
    const cell = cells.get(key) ?? [];
    cell.push(record);
    cells.set(key, cell);
  }
  const queues = [...cells.keys()]
    .sort()
    .map((key) => (cells.get(key) ?? []).slice().sort((a, b) => interest(b) - interest(a) || a.index - b.index));
  const chosen: string[] = [];
  for (let round = 0; chosen.length < size; round++) {
    let any = false;
    for (const queue of queues) {
      const record = queue[round];
      if (record === undefined) continue;
      any = true;
      chosen.push(record.id);
      if (chosen.length >= size) break;
    }
    if (!any) break;
  }
  return chosen;
}
