import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/input-error.ts';
import { CallFailedError } from '../../../src/anthropic/retry.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { apiError, drop, hang, heldUntil, text } from '../../fake-anthropic/replies.ts';
import { context, entry, hello, modelFor, request } from './setup.ts';
import { createAnthropicModel } from '../../../src/models/anthropic/create-anthropic-model.ts';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await FakeAnthropicServer.start();
});
afterEach(async () => {
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<CallFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallFailedError);
  return error as CallFailedError;
}

describe('faults', () => {
  it('retries 429, 529, 500 and 503 and then succeeds', async () => {
    server.script(apiError(429, { retryAfter: 0 }), apiError(529), apiError(500), apiError(503), text('Hello there.'));
    const model = modelFor(server);
    const reply = await model.respond(request(hello));
    expect(reply.text).toBe('Hello there.');
    expect(server.messageRequests).toHaveLength(5);
    expect(model.stats()).toMatchObject({ calls: 1, retries: 4, failures: 0 });
  });

  it('waits as long as retry-after says, whatever its own back-off would be', async () => {
    server.script(apiError(429, { retryAfter: 1 }), text('ok'));
    // The waits the retry loop asks for are recorded instead of timed: the assertion holds on any machine.
    const waits: number[] = [];
    const model = modelFor(server, {}, { retry: { baseDelayMs: 1, maxDelayMs: 5, sleep: async (ms) => void waits.push(ms) } });
    await model.respond(request(hello));
    expect(waits).toEqual([1000]);
    expect(server.messageRequests).toHaveLength(2);
  });

  it('fails at once on a request the server rejects (400), naming the model, status and message', async () => {
    server.script(apiError(400, { message: 'messages: roles must alternate' }), text('never sent'));
    const error = await failure(modelFor(server).respond(request(hello)));
    expect(error.message).toBe('claude-sonnet-4-6 (assistant): 400 invalid_request_error: messages: roles must alternate');
    expect(server.messageRequests).toHaveLength(1);
  });

  it('gives up after maxRetries and says how many attempts were made', async () => {
    server.script(apiError(529, { message: 'Overloaded' }), apiError(529, { message: 'Overloaded' }), apiError(529, { message: 'Overloaded' }));
    const model = modelFor(server, { maxRetries: 2 });
    const error = await failure(model.respond(request(hello)));
    expect(error.message).toBe('claude-sonnet-4-6 (assistant): 529 overloaded_error: Overloaded (after 3 attempts)');
    expect(model.stats()).toMatchObject({ calls: 0, retries: 2, failures: 1 });
  });

  it('retries a call that times out, and a dropped connection', async () => {
    // A hang times out whatever the time-out; the time-out is long enough that the final answer never races it.
    server.script(hang, drop, text('finally'));
    const model = modelFor(server, { timeoutMs: 1_000 });
    const reply = await model.respond(request(hello));
    expect(reply.text).toBe('finally');
    expect(model.stats()).toMatchObject({ calls: 1, retries: 2 });
  });

  it('reports a time-out as the cause when the retries run out', async () => {
    server.script(hang, hang);
    const error = await failure(modelFor(server, { timeoutMs: 150, maxRetries: 1 }).respond(request(hello)));
    expect(error.message).toBe('claude-sonnet-4-6 (assistant): APIConnectionTimeoutError: Request timed out. (after 2 attempts)');
  });

  it('keeps at most `concurrency` calls in flight per model', async () => {
    // The first two replies are held until both requests have arrived, so the peak is reached however slow the
    // machine; a limiter letting more through would show a peak above 2.
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (bothArrived = resolve));
    server.respondWith((_body, index) => {
      arrived += 1;
      if (arrived === 2) bothArrived();
      return index < 2 ? heldUntil(text('ok'), gate) : text('ok');
    });
    const model = modelFor(server, { concurrency: 2 });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => model.respond(request(hello, `seed-${n}`))));
    expect(server.messageRequests).toHaveLength(6);
    expect(server.peakInFlight).toBe(2);
  });

  it('never puts the key in an error message, even on an authentication failure', async () => {
    const other = await FakeAnthropicServer.start({ apiKey: 'sk-ant-the-server-wants-another-key' });
    try {
      const model = modelFor(other, {}, { env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: other.url } });
      const error = await failure(model.respond(request(hello)));
      expect(error.message).toBe('claude-sonnet-4-6 (assistant): 401 authentication_error: invalid x-api-key');
      expect(error.message).not.toContain(server.apiKey);
    } finally {
      await other.close();
    }
  });
});

describe('set-up errors are bad input (exit 2), raised before any call', () => {
  it('names ANTHROPIC_API_KEY when it is missing', () => {
    const run = () => createAnthropicModel(entry(), context(server, { env: { ANTHROPIC_BASE_URL: server.url } }));
    expect(run).toThrow(InputError);
    expect(run).toThrow(
      'ANTHROPIC_API_KEY: expected the environment variable to hold an Anthropic API key (model "claude-test" calls Claude), found it unset',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('asks for a price for a model id it does not know', () => {
    expect(() => createAnthropicModel(entry({ model: 'my-finetune' }), context(server))).toThrow(
      'models/claude-test.yaml: price: expected a price ({inputPerMTok, outputPerMTok}) for model "my-finetune", which welfare-sim has no list price for, found none',
    );
  });
});
