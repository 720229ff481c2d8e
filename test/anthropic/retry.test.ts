import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { backoffMs, CallFailedError, DEFAULT_RETRY, isRetryable, retryAfterMs, withRetries } from '../../src/anthropic/retry.ts';

const apiError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { type: 'error', error: { type: 'x', message: 'm' } }, undefined, new Headers(headers));

describe('retry rules', () => {
  it('retries rate limits, overload, server errors and connection failures, and nothing else', () => {
    expect([408, 409, 429, 500, 502, 503, 529].map((s) => isRetryable(apiError(s)))).toEqual([true, true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 413].map((s) => isRetryable(apiError(s)))).toEqual([false, false, false, false, false]);
    expect(isRetryable(new APIConnectionError({ message: 'reset' }))).toBe(true);
    expect(isRetryable(new APIUserAbortError())).toBe(false);
    expect(isRetryable(new Error('bug'))).toBe(false);
  });

  it('reads retry-after-ms, retry-after in seconds, and retry-after as an HTTP date', () => {
    expect(retryAfterMs(apiError(429, { 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(apiError(429, { 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(retryAfterMs(apiError(529, { 'retry-after': 'Thu, 26 Nov 2026 12:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(apiError(500))).toBeUndefined();
  });

  it('backs off exponentially with a bounded spread, up to the cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, DEFAULT_RETRY, 0))).toEqual([375, 750, 1500, 3000]);
    expect([0, 1, 2, 3].map((a) => backoffMs(a, DEFAULT_RETRY, 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, DEFAULT_RETRY, 1)).toBe(30_000);
  });

  it('sleeps what the server asked, then succeeds; or reports the last cause with the attempts made', async () => {
    const slept: number[] = [];
    const options = { ...DEFAULT_RETRY, maxRetries: 2, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
    let calls = 0;
    const outcome = await withRetries(
      () => (++calls < 3 ? Promise.reject(apiError(429, { 'retry-after': '2' })) : Promise.resolve('ok')),
      options,
      'label',
      0,
    );
    expect(outcome).toEqual({ value: 'ok', retries: 2 });
    expect(slept).toEqual([2000, 2000]);
    const failed = withRetries(() => Promise.reject(apiError(503)), options, 'm (assistant)', 0);
    await expect(failed).rejects.toBeInstanceOf(CallFailedError);
    await expect(failed).rejects.toThrow('m (assistant): 503 x: m (after 3 attempts)');
  });
});
