/**
 * Finding a Message Batch whose creation reply never arrived. The API may have created (and will bill) a batch
 * whose reply the client lost; sending the calls again would pay for each twice, and the first batch would be
 * counted nowhere. The account's batches are listed newest first, back to a little before the creation was sent;
 * one that is not already this run's and holds as many requests is a candidate, and it is ours when its results
 * carry exactly our calls (custom_ids are the calls' cache keys, so no one else's batch has them all). A candidate
 * must end before its results can be read: an unrelated batch of the same size costs that wait, never money.
 */
import type { MessageBatch, MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { IntentEntry } from './batch-ledger.ts';

/** How far before the intent's time (the client's clock) a batch's creation time (the API's clock) may lie. */
const CLOCK_SKEW_MS = 10 * 60_000;

export interface LostBatchSearch {
  readonly intent: IntentEntry;
  /** Visits the account's batches, newest first, until `visit` says stop. */
  readonly list: (visit: (batch: MessageBatch) => boolean) => Promise<void>;
  /** Whether a batch is already recorded by this run (so not a lost one). */
  readonly known: (batch: string) => boolean;
  /** A batch's results once it has ended, by custom_id. */
  readonly collect: (batch: string) => Promise<Map<string, MessageBatchResult>>;
}

export async function findLostBatch(search: LostBatchSearch): Promise<{ batch: string; results: Map<string, MessageBatchResult> } | undefined> {
  const { intent } = search;
  const since = Date.parse(intent.submitting) - CLOCK_SKEW_MS;
  const candidates: string[] = [];
  await search.list((batch) => {
    if (Date.parse(batch.created_at) < since) return false;
    if (!search.known(batch.id) && requestsIn(batch) === intent.calls.length) candidates.push(batch.id);
    return true;
  });
  const wanted = new Set(intent.calls);
  // Oldest first: the lost creation came before any later one of the same size.
  for (const batch of candidates.reverse()) {
    const results = await search.collect(batch);
    if (results.size === wanted.size && [...results.keys()].every((call) => wanted.has(call))) return { batch, results };
  }
  return undefined;
}

function requestsIn(batch: MessageBatch): number {
  const counts = batch.request_counts;
  return counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
}
