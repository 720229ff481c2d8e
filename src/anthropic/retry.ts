/**
 * Retries with exponential back-off that honour the server's `retry-after` (and `retry-after-ms`). Retried:
 * 408, 409, 429 (rate limit), 529 (overloaded), other 5xx, connection errors and time-outs. Everything else
 * (400, 401, 403, 404, a cancelled call) fails at once. The SDK's own retries are switched off so that this is
 * the one place that decides, counts retries and reports the final cause.
 */
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

export interface RetryOptions {
  readonly maxRetries: number;
  /** First back-off; doubled each retry, capped at maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injected so tests need not wait; defaults to a timer that the abort signal cancels. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  // APIConnectionTimeoutError is a subclass of APIConnectionError.
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError && typeof error.status === 'number') {
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  return false;
}

/** The wait the server asked for, in milliseconds, or undefined. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number.parseFloat(error.headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = error.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The back-off before retry number `attempt` (0-based). `jitter` in [0, 1) spreads callers that failed together;
 * it is derived from the call's key, not Math.random, so the schedule is reproducible.
 */
export function backoffMs(attempt: number, options: RetryOptions, jitter: number): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return exponential * (0.75 + 0.25 * jitter);
}

export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOutcome<T> {
  readonly value: T;
  readonly retries: number;
}

/** Thrown when a call still fails after its retries, or fails in a way that is not retried. */
export class CallFailedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'CallFailedError';
  }
}

/** Describes an SDK error in one line: status, error type and the server's message. */
export function describeCallError(error: unknown): string {
  if (error instanceof APIConnectionError) return `${error.constructor.name}: ${error.message}`;
  if (error instanceof APIError) {
    return `${error.status ?? '?'} ${error.type ?? 'error'}: ${error.apiMessage ?? error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `call` until it succeeds, a non-retryable error occurs, or the retries are spent.
 *
 * @param label names the call in the final error, e.g. "claude-opus-4-1 (assistant)".
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: RetryOptions,
  label: string,
  jitter: number,
  signal?: AbortSignal,
): Promise<RetryOutcome<T>> {
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await call(), retries: attempt };
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.maxRetries || signal?.aborted) {
        const after = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
        throw new CallFailedError(`${label}: ${describeCallError(error)}${after}`, attempt + 1, { cause: error });
      }
      await sleep(retryAfterMs(error) ?? backoffMs(attempt, options, jitter), signal);
    }
  }
}
