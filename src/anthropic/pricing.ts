/**
 * List prices for the cost estimate on the progress line and in the manifest. An estimate: it ignores prompt
 * caching discounts and batch pricing. A model entry's `price` overrides the table (and is required for ids the
 * table does not know).
 */
import type { Price } from '../core/anthropic-model-entry.ts';

/** US dollars per million tokens, by model id prefix; the longest matching prefix wins. */
const LIST_PRICES: readonly (readonly [prefix: string, price: Price])[] = [
  ['claude-opus-4-0', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-opus-4-1', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-opus-4-2', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-opus-4', { inputPerMTok: 5, outputPerMTok: 25 }],
  ['claude-opus-4-20', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-sonnet-4', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-3-7-sonnet', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-3-5-sonnet', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-haiku-4', { inputPerMTok: 1, outputPerMTok: 5 }],
  ['claude-3-5-haiku', { inputPerMTok: 0.8, outputPerMTok: 4 }],
  ['claude-3-haiku', { inputPerMTok: 0.25, outputPerMTok: 1.25 }],
];

/** The list price of a model id, or undefined when the table does not know it. */
export function listPrice(model: string): Price | undefined {
  let best: readonly [string, Price] | undefined;
  for (const entry of LIST_PRICES) {
    if (model.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** Token counts of calls, split as the API bills them. */
export interface TokenUsage {
  /** Input tokens billed at the base price (not read from or written to the prompt cache). */
  readonly input: number;
  /** Input tokens written to the prompt cache: 1.25 × the input price. */
  readonly cacheWrite: number;
  /** Input tokens read from the prompt cache: 0.1 × the input price. */
  readonly cacheRead: number;
  readonly output: number;
}

export function estimateCostUsd(price: Price, usage: TokenUsage): number {
  const input = usage.input + 1.25 * usage.cacheWrite + 0.1 * usage.cacheRead;
  return (input * price.inputPerMTok + usage.output * price.outputPerMTok) / 1_000_000;
}
