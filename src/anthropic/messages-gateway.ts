/**
 * The one door to the Messages API for a model: cache first, then a per-model concurrency limit, then the SDK
 * with retries. Identical calls in flight at the same moment (two policies meeting the same prefix) share one
 * network call, and identical calls later come from the disk cache (see call-cache.ts), so a sweep pays once per
 * distinct prefix.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Price } from '../core/anthropic-model-entry.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import type { CallCache } from '../store/call-cache.ts';
import { redactKey } from './api-key.ts';
import { CallBook } from './call-book.ts';
import { estimateCostUsd } from './pricing.ts';
import { CallFailedError, withRetries, type RetryOptions } from './retry.ts';

export interface MessagesCall {
  readonly params: MessageCreateParamsNonStreaming;
  /**
   * Which sample this is: part of the cache key but never sent. Two calls with the same params and sample are the
   * same call; a different repetition (seed) passes a different sample and gets a fresh answer.
   */
  readonly sample: string;
  /** Names the call's purpose in errors, e.g. "assistant", "probe", "judge". */
  readonly purpose: string;
  readonly signal?: AbortSignal;
}

export interface GatewayStats extends ModelCallStats {
  readonly retries: number;
  readonly failures: number;
}

export interface GatewayOptions {
  readonly client: Anthropic;
  readonly cache: CallCache;
  readonly concurrency: number;
  readonly retry: RetryOptions;
  readonly price: Price;
  /** Only to scrub it from error messages. */
  readonly apiKey: string;
  /**
   * Sends a call that missed the cache; default: one Messages request. Batch mode passes MessageBatcher.send, so
   * calls go out in Message Batches rounds (batch-rounds.ts) with the same cache, retries and counters.
   */
  readonly send?: (key: string, params: MessageCreateParamsNonStreaming, signal?: AbortSignal) => Promise<Message>;
  /** Told after every call the API answered (counters updated), so a run can write its tally as it goes. */
  readonly onCall?: () => void;
  /**
   * The run's book of paid calls, shared by every gateway of the run that shares the cache: a call several
   * gateways asked for is charged to one of them by name, not by timing (call-book.ts). Default: this gateway's own.
   */
  readonly book?: CallBook;
  /** This gateway's name in the book, unique in the run (e.g. "claude-opus-tool judge"). */
  readonly payer?: string;
}

export class MessagesGateway {
  private readonly limit: LimitFunction;
  private readonly book: CallBook;
  private readonly payer: string;
  private retries = 0;
  private failures = 0;

  constructor(private readonly options: GatewayOptions) {
    this.limit = pLimit(options.concurrency);
    this.book = options.book ?? new CallBook();
    this.payer = options.payer ?? 'gateway';
  }

  /** The reply to a call, from the cache when it was made before (or is being made right now). */
  async create(call: MessagesCall): Promise<Message> {
    // One run-wide signal is shared by every call in flight, each adding an abort listener: many is expected.
    if (call.signal) setMaxListeners(0, call.signal);
    const { value, key } = await this.options.cache.remember({ params: call.params, sample: call.sample }, (key) =>
      this.limit(() => this.callWithRetries(key, call)),
    );
    this.book.answered(key, this.payer);
    return value;
  }

  private async callWithRetries(key: string, call: MessagesCall): Promise<Message> {
    const label = `${call.params.model} (${call.purpose})`;
    const jitter = Number.parseInt(key.slice(0, 8), 16) / 2 ** 32;
    try {
      const outcome = await withRetries(
        () => (this.options.send ? this.options.send(key, call.params, call.signal) : this.options.client.messages.create(call.params, { signal: call.signal })),
        this.options.retry,
        label,
        jitter,
        call.signal,
      );
      this.retries += outcome.retries;
      const usage = outcome.value.usage;
      this.book.billed(key, this.payer, {
        input: usage.input_tokens,
        cacheWrite: usage.cache_creation_input_tokens ?? 0,
        cacheRead: usage.cache_read_input_tokens ?? 0,
        output: usage.output_tokens,
      });
      this.options.onCall?.();
      return outcome.value;
    } catch (error) {
      this.failures++;
      if (error instanceof CallFailedError) {
        this.retries += error.attempts - 1;
        throw new CallFailedError(redactKey(error.message, this.options.apiKey), error.attempts, { cause: error.cause });
      }
      throw error;
    }
  }

  stats(): GatewayStats {
    const { calls, answered, usage } = this.book.totalsFor(this.payer);
    return {
      calls,
      // Every answered ask this gateway is not charged for: from the disk, a call in flight, or another gateway's.
      cacheHits: Math.max(0, answered - calls),
      // All input tokens, however billed; the cost weighs prompt-cache writes and reads as the API does.
      inputTokens: usage.input + usage.cacheWrite + usage.cacheRead,
      outputTokens: usage.output,
      estimatedCostUsd: estimateCostUsd(this.options.price, usage),
      retries: this.retries,
      failures: this.failures,
    };
  }
}

/** Sums the stats of several gateways (an assistant and its judge). */
export function sumStats(all: readonly GatewayStats[]): GatewayStats {
  const total = { calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0, retries: 0, failures: 0 };
  for (const s of all) {
    total.calls += s.calls;
    total.cacheHits += s.cacheHits;
    total.inputTokens += s.inputTokens;
    total.outputTokens += s.outputTokens;
    total.estimatedCostUsd += s.estimatedCostUsd;
    total.retries += s.retries;
    total.failures += s.failures;
  }
  return total;
}
