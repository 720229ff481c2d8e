/**
 * Batch mode through the real SDK against the loopback server's Message Batches endpoints: lock-step rounds (one
 * batch per round for every live conversation), polling with back-off, expired and errored requests, and
 * re-attaching to a batch submitted by a process that died — the request is never submitted twice.
 */
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchLedger } from '../../src/anthropic/batch-ledger.ts';
import { MessageBatcher } from '../../src/anthropic/batch-rounds.ts';
import { MessagesGateway } from '../../src/anthropic/messages-gateway.ts';
import { callKey as callKeyOf, NO_CACHE } from '../../src/store/call-cache.ts';
import { FakeBatches, type BatchOutcome } from '../fake-anthropic/batches.ts';
import { text } from '../fake-anthropic/replies.ts';
import { FakeAnthropicServer, type MessagesRequestBody } from '../fake-anthropic/server.ts';
import { waitUntil } from '../support/wait-until.ts';
import { tempDir } from '../models/anthropic/setup.ts';

let server: FakeAnthropicServer;
let batches: FakeBatches | undefined;
const echo = (body: MessagesRequestBody) => text(`echo: ${String(body.messages.at(-1)?.content)}`);

beforeEach(async () => {
  server = await FakeAnthropicServer.start();
});
afterEach(async () => {
  await batches?.close();
  await server.close();
});

function gatewayWith(batcher: MessageBatcher): MessagesGateway {
  const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  return new MessagesGateway({
    client,
    cache: NO_CACHE,
    concurrency: Number.POSITIVE_INFINITY,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    price: { inputPerMTok: 1.5, outputPerMTok: 7.5 },
    apiKey: server.apiKey,
    send: (key, params, signal) => batcher.send(key, params, signal),
  });
}

function batcherFor(ledgerDir: string, sleeps: number[] = [], sleep?: (ms: number) => Promise<void>): MessageBatcher {
  const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  return new MessageBatcher({
    client,
    ledger: BatchLedger.inRunDirectory(ledgerDir),
    gatherMs: 20,
    polling: { firstMs: 10, maxMs: 40, factor: 2 },
    sleep: sleep ?? (async (ms) => void sleeps.push(ms)),
  });
}

const call = (content: string) => ({
  params: { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user' as const, content }] },
  sample: 's0',
  purpose: 'assistant',
});
const replyText = (message: Anthropic.Message): string => (message.content[0]?.type === 'text' ? message.content[0].text : '');

describe('Message Batches mode', () => {
  it('sends one batch per round for all live conversations, polling with back-off', async () => {
    batches = await FakeBatches.attach(server, { respond: echo, pollsUntilEnded: 3 });
    const sleeps: number[] = [];
    const gateway = gatewayWith(batcherFor(tempDir(), sleeps));
    const conversation = async (who: number): Promise<string[]> => {
      const replies: string[] = [];
      for (let turn = 1; turn <= 3; turn++) replies.push(replyText(await gateway.create(call(`c${who} t${turn}`))));
      return replies;
    };
    const all = await Promise.all([0, 1, 2, 3, 4].map(conversation));
    expect(all[2]).toEqual(['echo: c2 t1', 'echo: c2 t2', 'echo: c2 t3']);
    expect(batches.batches.map((b) => b.requests.map((r) => r.params.messages[0]?.content))).toEqual(
      [1, 2, 3].map((turn) => [0, 1, 2, 3, 4].map((who) => `c${who} t${turn}`)),
    );
    expect(server.messageRequests).toEqual([]);
    expect(sleeps).toEqual([10, 20, 40, 10, 20, 40, 10, 20, 40]);
    expect(gateway.stats()).toMatchObject({ calls: 15, retries: 0, failures: 0 });
  });

  it('submits expired and retryable errored requests again in the next round; a bad request fails with its cause', async () => {
    const outcomes = new Map<string, BatchOutcome>();
    batches = await FakeBatches.attach(server, {
      respond: echo,
      outcome: (customId, before) => (before === 0 ? (outcomes.get(customId) ?? { type: 'succeeded' }) : { type: 'succeeded' }),
    });
    const gateway = gatewayWith(batcherFor(tempDir()));
    const keys = ['expires', 'overloaded', 'invalid', 'fine'].map((content) => ({ content, key: keyOf(call(content)) }));
    outcomes.set(keys[0]?.key as string, { type: 'expired' });
    outcomes.set(keys[1]?.key as string, { type: 'errored', errorType: 'overloaded_error' });
    outcomes.set(keys[2]?.key as string, { type: 'errored', errorType: 'invalid_request_error' });
    const settled = await Promise.allSettled(keys.map(({ content }) => gateway.create(call(content))));
    expect(settled.map((s) => (s.status === 'fulfilled' ? replyText(s.value) : String((s.reason as Error).message)))).toEqual([
      'echo: expires',
      'echo: overloaded',
      'claude-sonnet-4-5 (assistant): batch request errored (invalid_request_error: fake invalid_request_error)',
      'echo: fine',
    ]);
    expect(batches.batches.map((b) => b.requests.length)).toEqual([4, 2]);
  });

  it('retries faults of the batch endpoints as the round\'s, never using up the calls\' own retries', async () => {
    // Every batch endpoint fails three times in a row at first: more than a call's own 2 retries allow.
    batches = await FakeBatches.attach(server, { respond: echo, pollsUntilEnded: 1, fault: (_endpoint, n) => n < 3 });
    const gateway = gatewayWith(batcherFor(tempDir()));
    const replies = await Promise.all(['a', 'b', 'c'].map(async (who) => replyText(await gateway.create(call(who)))));
    expect(replies).toEqual(['echo: a', 'echo: b', 'echo: c']);
    expect(batches.faults).toBe(9);
    expect(batches.batches).toHaveLength(1);
    expect(batches.submitted).toEqual([...new Set(batches.submitted)]);
    expect(gateway.stats()).toMatchObject({ calls: 3, retries: 0, failures: 0 });
  });

  it('re-attaches to the batch a dead process submitted, paying for no request twice', async () => {
    batches = await FakeBatches.attach(server, { respond: echo, pollsUntilEnded: 1 });
    const runDir = tempDir();
    // The first process submits its round, then dies while polling (its sleep never returns).
    const dying = gatewayWith(batcherFor(runDir, [], () => new Promise(() => undefined)));
    void dying.create(call('a'));
    void dying.create(call('b'));
    const attached = batches;
    await waitUntil(() => attached.batches.length > 0 && readLedger(runDir).includes(attached.batches[0]?.id ?? '-'), 'the first batch in the ledger', { everyMs: 5 });

    const resumed = gatewayWith(batcherFor(runDir));
    const replies = await Promise.all([resumed.create(call('a')), resumed.create(call('b')), resumed.create(call('c'))]);
    expect(replies.map(replyText)).toEqual(['echo: a', 'echo: b', 'echo: c']);
    expect(batches.submitted).toEqual([keyOf(call('a')), keyOf(call('b')), keyOf(call('c'))]);
    expect(batches.batches.map((b) => b.requests.length)).toEqual([2, 1]);
  });
});


describe('BatchLedger', () => {
  it('drops a line cut short by a crash, keeps the batches before it, and refuses a damaged line in the middle', () => {
    const dir = tempDir();
    const path = join(dir, 'batches.jsonl');
    writeFileSync(path, '{"v":1,"batch":"msgbatch_1","calls":["a","b"]}\n{"v":1,"batch":"msgbat');
    const ledger = BatchLedger.inRunDirectory(dir);
    expect([ledger.batchOf('a'), ledger.batchOf('b'), ledger.batchOf('c')]).toEqual(['msgbatch_1', 'msgbatch_1', undefined]);
    ledger.record('msgbatch_2', ['c']);
    expect(BatchLedger.inRunDirectory(dir).batchOf('c')).toBe('msgbatch_2');
    writeFileSync(path, '{"v":1,"batch":"msgbatch_1","calls":["a"]}\n{"v":1,"bat\n{"v":1,"batch":"msgbatch_2","calls":["c"]}\n');
    expect(() => BatchLedger.inRunDirectory(dir)).toThrow(`${path}: line 2: expected a JSON record of a submitted batch, found "{\\"v\\":1,\\"bat"`);
  });
});

function readLedger(runDir: string): string {
  try {
    return readFileSync(join(runDir, 'batches.jsonl'), 'utf8');
  } catch {
    return '';
  }
}

function keyOf(c: ReturnType<typeof call>): string {
  // The gateway keys a call by its params and sample (call-cache.ts); the batch custom_id is that key.
  return callKeyOf({ params: c.params, sample: c.sample });
}
