/**
 * Builds a Claude assistant from its model entry: checks the key and prices first (so a run that cannot work
 * fails before anything is written), then wires the SDK client, the call cache and the per-model limits.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { AnthropicModelEntry, Price } from '../../core/anthropic-model-entry.ts';
import { InputError } from '../../config/input-error.ts';
import { diskCallCache, NO_CACHE, type CallCache } from '../../store/call-cache.ts';
import { AnthropicModel } from './anthropic-model.ts';
import { BASE_URL_VARIABLE, requireApiKey } from './api-key.ts';
import { CallBook } from './call-book.ts';
import { MessagesGateway } from './messages-gateway.ts';
import { listPrice } from './pricing.ts';
import { batchPrice, type MessageBatcher } from './batch-rounds.ts';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { DEFAULT_RETRY, type RetryOptions } from './retry.ts';

/** What a Claude model needs from the run (a subset of the runner's model context). */
export interface AnthropicContext {
  /** Folder of the content-addressed cache of model calls. */
  readonly cacheDir: string;
  readonly noCache: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Overrides of the retry timing (tests shorten the back-off). */
  readonly retry?: Partial<RetryOptions>;
  /** Batch mode: calls go out in Message Batches rounds through this run-wide batcher, at half the price. */
  readonly batch?: MessageBatcher;
  /** Told after every call the API answered (the run writes its call tally: model-calls.jsonl). */
  readonly onCall?: () => void;
}

/** In batch mode nothing limits calls in flight (a round holds every live conversation) and the price halves. */
function gatewayMode(context: AnthropicContext, concurrency: number, price: Price) {
  const { batch } = context;
  if (batch === undefined) return { concurrency, price };
  return {
    concurrency: Number.POSITIVE_INFINITY,
    price: batchPrice(price),
    send: (key: string, params: MessageCreateParamsNonStreaming, signal?: AbortSignal) => batch.send(key, params, signal),
  };
}

export function openCallCache(context: AnthropicContext): CallCache {
  return context.noCache ? NO_CACHE : diskCallCache(context.cacheDir);
}

const books = new WeakMap<AnthropicContext, CallBook>();

/**
 * The book of paid calls shared by every gateway made from one run's context, which share calls through the cache;
 * without a cache nothing is shared, and each gateway keeps its own (undefined).
 */
export function callBookFor(context: AnthropicContext): CallBook | undefined {
  if (context.noCache) return undefined;
  let book = books.get(context);
  if (book === undefined) {
    book = new CallBook();
    books.set(context, book);
  }
  return book;
}

/** The entry's price, else the list price; an unknown model id without a price is bad input in `file`. */
export function priceFor(file: string, model: string, price: Price | undefined, path: string): Price {
  const known = price ?? listPrice(model);
  if (known) return known;
  throw InputError.one(
    file,
    path,
    `expected a price ({inputPerMTok, outputPerMTok}) for model "${model}", which welfare-sim has no list price for, found none`,
  );
}

/**
 * @throws InputError when ANTHROPIC_API_KEY is unset or a model's price is unknown.
 * @example
 * const model = createAnthropicModel(entry, { cacheDir: 'runs/.cache', noCache: false, env: process.env });
 */
export function createAnthropicModel(entry: AnthropicModelEntry, context: AnthropicContext, cache: CallCache = openCallCache(context)): AnthropicModel {
  const apiKey = requireApiKey(context.env, entry.id);
  const price = priceFor(`models/${entry.id}.yaml`, entry.model, entry.price, 'price');
  const judgePrice = entry.judge ? priceFor(`models/${entry.id}.yaml`, entry.judge.model, entry.judge.price, 'judge.price') : undefined;
  const client = new Anthropic({
    apiKey,
    // Only the run's environment decides the endpoint; the SDK's own retries are off (retry.ts decides).
    baseURL: context.env[BASE_URL_VARIABLE] || 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: entry.timeoutMs,
  });
  context.batch?.useClient(client);
  const retry: RetryOptions = { ...DEFAULT_RETRY, maxRetries: entry.maxRetries, ...context.retry };
  const shared = { client, cache, retry, apiKey, onCall: context.onCall, book: callBookFor(context) };
  const gateway = new MessagesGateway({ ...shared, payer: entry.id, ...gatewayMode(context, entry.concurrency, price) });
  const judgeGateway =
    entry.judge && judgePrice
      ? new MessagesGateway({ ...shared, payer: `${entry.id} judge`, ...gatewayMode(context, entry.judge.concurrency, judgePrice) })
      : undefined;
  return new AnthropicModel({ entry, gateway, judgeGateway });
}
