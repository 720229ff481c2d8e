/**
 * Message Batches in lock-step rounds (half the price of single calls). Every live conversation asks for its next
 * call at about the same moment; the batcher gathers the calls that arrive until the run is quiet for `gatherMs`,
 * submits them as one batch, records the batch in the ledger, polls with back-off until it has ended, and answers
 * every call from the results — then the conversations advance and the next round gathers. Expired, cancelled and
 * retryable errored requests go into the next round; a call already carried by a batch of an earlier process is
 * answered from that batch (re-attaching), so no request is paid twice. A creation whose reply was lost (here, or
 * in an earlier process that died) is looked for among the account's batches and adopted when found (lost-batch.ts).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { BatchLedger, IntentEntry } from './batch-ledger.ts';
import { findLostBatch } from './lost-batch.ts';
import { APIError } from '@anthropic-ai/sdk';
import { DEFAULT_RETRY, sleepFor, withRetries, type RetryOptions } from './retry.ts';

export interface BatchPolling {
  readonly firstMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export interface BatcherOptions {
  /** The SDK client; optional here when the first Claude model hands over its own (`useClient`). */
  readonly client?: Anthropic;
  /** The ledger, or how to open it once the run directory exists (the first round happens after that). */
  readonly ledger: BatchLedger | (() => BatchLedger);
  /** Quiet time that closes a round. */
  readonly gatherMs?: number;
  readonly polling?: BatchPolling;
  /** How often one call may go into another round after expiring or a retryable error. */
  readonly maxResubmits?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The run's signal: on Ctrl-C nothing new is submitted and polling stops (submitted batches stay in the ledger). */
  readonly signal?: AbortSignal;
  /** Retries of the batch endpoints themselves (create, retrieve, results), apart from each call's own retries. */
  readonly retry?: Partial<RetryOptions>;
}

export const DEFAULT_POLLING: BatchPolling = { firstMs: 5_000, maxMs: 60_000, factor: 1.5 };
const RETRYABLE_ERRORS = new Set(['api_error', 'overloaded_error', 'rate_limit_error', 'timeout_error']);

/** A request of a batch that did not succeed and will not be submitted again. */
export class BatchRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchRequestError';
  }
}

interface Pending {
  readonly key: string;
  readonly params: MessageCreateParamsNonStreaming;
  readonly resolve: (message: Message) => void;
  readonly reject: (error: unknown) => void;
  resubmits: number;
}

export interface BatcherStats {
  readonly batches: number;
  readonly requests: number;
  readonly reattached: number;
  readonly resubmitted: number;
  /** Batches whose creation reply was lost, found among the account's batches and used. */
  readonly adopted: number;
}

/** Wraps an error that must not be retried (withRetries retries only what isRetryable says; this it never says). */
class NotRetried extends Error {
  constructor(readonly error: unknown) {
    super('not retried');
  }
}

export class MessageBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly results = new Map<string, Promise<Map<string, MessageBatchResult>>>();
  private counts = { batches: 0, requests: 0, reattached: 0, resubmitted: 0, adopted: 0 };
  /** Searches for the batch of an earlier process's unanswered creation, one per intent. */
  private readonly searches = new Map<IntentEntry, Promise<Map<string, MessageBatchResult> | undefined>>();
  private client: Anthropic | undefined;
  private openedLedger: BatchLedger | undefined;

  constructor(private readonly options: BatcherOptions) {
    this.client = options.client;
  }

  /** Gives the batcher the SDK client of the run's Claude models, unless it has one (all share key and endpoint). */
  useClient(client: Anthropic): void {
    this.client ??= client;
  }

  private get ledger(): BatchLedger {
    this.openedLedger ??= typeof this.options.ledger === 'function' ? this.options.ledger() : this.options.ledger;
    return this.openedLedger;
  }

  private get sdk(): Anthropic {
    if (this.client === undefined) throw new Error('MessageBatcher: no Anthropic client (useClient was never called)');
    return this.client;
  }

  /** The reply to one call (`key` is its cache key, used as the batch custom_id), through the next round. */
  async send(key: string, params: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<Message> {
    const earlier = this.ledger.batchOf(key);
    const intent = earlier === undefined ? this.ledger.openIntentOf(key) : undefined;
    const results = earlier !== undefined ? await this.collect(earlier) : intent !== undefined ? await this.searchFor(intent) : undefined;
    const result = results?.get(key);
    if (result?.type === 'succeeded') {
      this.counts.reattached += 1;
      return result.message;
    }
    return new Promise<Message>((resolve, reject) => {
      const pending: Pending = { key, params, resolve, reject, resubmits: 0 };
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      this.enqueue(pending);
    });
  }

  stats(): BatcherStats {
    return { ...this.counts };
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.submitRound(), this.options.gatherMs ?? 100);
  }

  private async submitRound(): Promise<void> {
    const round = this.queue;
    this.queue = [];
    if (round.length === 0) return;
    if (this.options.signal?.aborted) {
      for (const pending of round) pending.reject(this.options.signal.reason);
      return;
    }
    let results: Map<string, MessageBatchResult>;
    try {
      // A fault on the batch endpoints is the round's, not each call's: it is retried here, and never uses up the
      // calls' own retries. Creation is retried only on answers that say nothing was created (429, 529): after a
      // lost connection the batch may exist, and submitting it again would pay for every request twice.
      const keys = round.map((pending) => pending.key);
      const intent = this.ledger.intend(keys, new Date());
      const created = await this.endpoint(
        () => this.sdk.messages.batches.create({ requests: round.map((pending) => ({ custom_id: pending.key, params: pending.params })) }),
        'create',
      ).catch(async (error: unknown) => {
        // The creation may have reached the API with only its reply lost: then the batch exists and is billed. A
        // search that fails (the list endpoint down) leaves the round to fail with the creation's own error.
        const adopted = this.options.signal?.aborted ? undefined : await this.searchFor(intent).catch(() => undefined);
        if (adopted === undefined) throw error;
        return adopted;
      });
      if (created instanceof Map) {
        results = created;
      } else {
        this.ledger.record(created.id, keys);
        this.counts.batches += 1;
        this.counts.requests += round.length;
        results = await this.collect(created.id);
      }
    } catch (error) {
      for (const pending of round) pending.reject(error);
      return;
    }
    for (const pending of round) this.settle(pending, results.get(pending.key));
  }

  /** Looks for the batch of an unanswered creation of this process and, when found, records and uses it. */
  private async adoptLost(intent: IntentEntry): Promise<Map<string, MessageBatchResult> | undefined> {
    const found = await findLostBatch({
      intent,
      list: (visit) => this.endpoint(async () => {
        for await (const batch of this.sdk.messages.batches.list({ limit: 100 })) if (!visit(batch)) break;
      }, 'list'),
      known: (batch) => this.ledger.has(batch),
      collect: (batch) => this.collect(batch),
    });
    if (found === undefined) return undefined;
    this.ledger.record(found.batch, intent.calls);
    this.counts.batches += 1;
    this.counts.requests += intent.calls.length;
    this.counts.adopted += 1;
    return found.results;
  }

  /** The results of an unanswered creation (this process's or an earlier one's), searched for once per intent. */
  private searchFor(intent: IntentEntry): Promise<Map<string, MessageBatchResult> | undefined> {
    let search = this.searches.get(intent);
    if (search === undefined) {
      search = this.adoptLost(intent);
      this.searches.set(intent, search);
      search.catch(() => this.searches.delete(intent));
    }
    return search;
  }

  private settle(pending: Pending, result: MessageBatchResult | undefined): void {
    if (result?.type === 'succeeded') return pending.resolve(result.message);
    const errorType = result?.type === 'errored' ? result.error.error.type : undefined;
    const retryable = result === undefined || result.type !== 'errored' || RETRYABLE_ERRORS.has(errorType ?? '');
    if (retryable && pending.resubmits < (this.options.maxResubmits ?? 3)) {
      pending.resubmits += 1;
      this.counts.resubmitted += 1;
      return this.enqueue(pending);
    }
    const what = result === undefined ? 'missing from the results' : result.type === 'errored' ? `errored (${errorType}: ${result.error.error.message})` : result.type;
    pending.reject(new BatchRequestError(`batch request ${what}${pending.resubmits > 0 ? ` after ${pending.resubmits + 1} rounds` : ''}`));
  }

  /** Polls a batch with back-off until it has ended, then reads its results (once per batch). */
  private collect(batchId: string): Promise<Map<string, MessageBatchResult>> {
    let results = this.results.get(batchId);
    if (results === undefined) {
      results = this.pollAndRead(batchId);
      this.results.set(batchId, results);
      results.catch(() => this.results.delete(batchId));
    }
    return results;
  }

  private async pollAndRead(batchId: string): Promise<Map<string, MessageBatchResult>> {
    const polling = this.options.polling ?? DEFAULT_POLLING;
    const sleep = this.options.sleep ?? sleepFor;
    let wait = polling.firstMs;
    for (;;) {
      const batch = await this.endpoint(() => this.sdk.messages.batches.retrieve(batchId), 'retrieve');
      if (batch.processing_status === 'ended') break;
      await sleep(wait, this.options.signal);
      wait = Math.min(polling.maxMs, wait * polling.factor);
    }
    return this.endpoint(async () => {
      const byCall = new Map<string, MessageBatchResult>();
      for await (const response of await this.sdk.messages.batches.results(batchId)) byCall.set(response.custom_id, response.result);
      return byCall;
    }, 'results');
  }

  /** One call of a batch endpoint with the batcher's own retries (reads are safe to repeat; see submitRound for create). */
  private async endpoint<T>(call: () => Promise<T>, which: 'create' | 'list' | 'retrieve' | 'results'): Promise<T> {
    const retry = { ...DEFAULT_RETRY, sleep: this.options.sleep, ...this.options.retry };
    const safe = which === 'create' ? (error: unknown) => error instanceof APIError && (error.status === 429 || error.status === 529) : () => true;
    const guarded = async (): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (!safe(error)) throw new NotRetried(error);
        throw error;
      }
    };
    try {
      return (await withRetries(guarded, retry, `message batches (${which})`, 0.5, this.options.signal)).value;
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      if (cause instanceof NotRetried) throw cause.error;
      throw error;
    }
  }
}

/** Message Batches bill every token at half the price of single calls. */
export function batchPrice<P extends Readonly<Record<string, number | undefined>>>(price: P): P {
  return Object.fromEntries(Object.entries(price).map(([field, value]) => [field, value === undefined ? value : value / 2])) as P;
}
