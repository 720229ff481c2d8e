/**
 * The counters of paid model calls, shared by every layer: the Anthropic client fills them, models and users
 * report them, the store keeps them in the manifest and in model-calls.jsonl.
 */

/** Counters a model that makes paid calls reports; shown on the progress line and kept in the manifest. */
export interface ModelCallStats {
  readonly calls: number;
  readonly cacheHits: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Estimated cost in US dollars at list prices. */
  readonly estimatedCostUsd: number;
}
