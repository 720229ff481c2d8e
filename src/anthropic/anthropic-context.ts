/**
 * What a Claude client needs from the run, for assistants and llm users alike: the cache of calls, the run's book
 * of paid calls, the environment (key and endpoint), retry timing, the batcher; and the price of a model id.
 */
import type { Price } from '../core/anthropic-model-entry.ts';
import { InputError } from '../common/input-error.ts';
import { diskCallCache, NO_CACHE, type CallCache } from '../store/call-cache.ts';
import type { MessageBatcher } from './batch-rounds.ts';
import { CallBook } from './call-book.ts';
import { listPrice } from './pricing.ts';
import type { RetryOptions } from './retry.ts';

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
