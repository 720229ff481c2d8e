/**
 * Builds a Claude assistant from its model entry: checks the key and prices first (so a run that cannot work
 * fails before anything is written), then wires the SDK client, the call cache and the per-model limits.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { AnthropicModelEntry, Price } from '../../core/anthropic-model-entry.ts';
import type { CallCache } from '../../store/call-cache.ts';
import { callBookFor, openCallCache, priceFor, type AnthropicContext } from '../../anthropic/anthropic-context.ts';
import { AnthropicModel } from './anthropic-model.ts';
import { BASE_URL_VARIABLE, requireApiKey } from '../../anthropic/api-key.ts';
import { MessagesGateway } from '../../anthropic/messages-gateway.ts';
import { batchPrice, type MessageBatcher } from '../../anthropic/batch-rounds.ts';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { DEFAULT_RETRY, type RetryOptions } from '../../anthropic/retry.ts';

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
