/**
 * A Message Batch whose creation reply is lost: the API created it (and bills it), the client never heard. Through
 * the real SDK against the loopback server, which loses the reply after creating the batch and counts what it
 * billed on its own: the batch is found among the account's batches and adopted, in the same process or by the
 * process that resumes after a crash, so no request is paid twice and the run counts every request billed.
 */
import Anthropic from '@anthropic-ai/sdk';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchLedger } from '../../src/anthropic/batch-ledger.ts';
import { MessageBatcher } from '../../src/anthropic/batch-rounds.ts';
import { MessagesGateway } from '../../src/anthropic/messages-gateway.ts';
import { readCallTally } from '../../src/store/call-tally.ts';
import { callKey, NO_CACHE } from '../../src/store/call-cache.ts';
import { FakeBatches } from '../fake-anthropic/batches.ts';
import { text } from '../fake-anthropic/replies.ts';
import { scriptedClaude } from '../fake-anthropic/scripted-claude.ts';
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
  batches = undefined;
  await server.close();
});

function gatewayWith(batcher: MessageBatcher): MessagesGateway {
  return new MessagesGateway({
    client: new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 }),
    cache: NO_CACHE,
    concurrency: Number.POSITIVE_INFINITY,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    price: { inputPerMTok: 1.5, outputPerMTok: 7.5 },
    apiKey: server.apiKey,
    send: (key, params, signal) => batcher.send(key, params, signal),
  });
}

function batcherFor(runDir: string, sleep: (ms: number) => Promise<void> = async () => undefined): MessageBatcher {
  return new MessageBatcher({
    client: new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 }),
    ledger: BatchLedger.inRunDirectory(runDir),
    gatherMs: 20,
    polling: { firstMs: 10, maxMs: 40, factor: 2 },
    sleep,
  });
}

const call = (content: string) => ({
  params: { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user' as const, content }] },
  sample: 's0',
  purpose: 'assistant',
});
const replyText = (message: Anthropic.Message): string => (message.content[0]?.type === 'text' ? message.content[0].text : '');

describe('a batch whose creation reply is lost', () => {
  it('is adopted in the same process: used, counted, never paid again', async () => {
    batches = await FakeBatches.attach(server, { respond: echo, pollsUntilEnded: 1, loseCreateReply: (n) => n === 0 });
    const batcher = batcherFor(tempDir());
    const gateway = gatewayWith(batcher);
    const replies = await Promise.all(['a', 'b'].map(async (who) => replyText(await gateway.create(call(who)))));
    expect(replies).toEqual(['echo: a', 'echo: b']);
    expect(batches.lostReplies).toBe(1);
    expect(batches.batches).toHaveLength(1);
    expect(batcher.stats()).toMatchObject({ batches: 1, requests: 2, adopted: 1 });
    expect(gateway.stats()).toMatchObject({ calls: batches.submitted.length, failures: 0 });
  });

  it('is adopted by the process that resumes after a crash', async () => {
    batches = await FakeBatches.attach(server, { respond: echo, pollsUntilEnded: 1, loseCreateReply: (n) => n === 0 });
    const runDir = tempDir();
    // The first process loses the creation reply, finds its batch in the list, and dies while polling it.
    const dying = gatewayWith(batcherFor(runDir, () => new Promise(() => undefined)));
    void dying.create(call('a'));
    void dying.create(call('b'));
    const attached = batches;
    await waitUntil(() => (attached.batches[0]?.polls ?? 0) >= 1, 'the lost batch polled once', { everyMs: 5 });

    const resumed = gatewayWith(batcherFor(runDir));
    const replies = await Promise.all([resumed.create(call('a')), resumed.create(call('b')), resumed.create(call('c'))]);
    expect(replies.map(replyText)).toEqual(['echo: a', 'echo: b', 'echo: c']);
    const keyOf = (c: ReturnType<typeof call>): string => callKey({ params: c.params, sample: c.sample });
    expect(batches.submitted).toEqual([keyOf(call('a')), keyOf(call('b')), keyOf(call('c'))]);
    expect(resumed.stats().calls).toBe(3);
  });

  it('leaves a --batch run counting every request the server billed', { timeout: 180_000 }, async () => {
    server.respondWith(scriptedClaude());
    batches = await FakeBatches.attach(server, { respond: scriptedClaude(), pollsUntilEnded: 0, loseCreateReply: (n) => n === 1 || n === 4 });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ANTHROPIC_'))) as Record<string, string>;
    const env = { ...inherited, FORCE_COLOR: '0', ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
    const root = tempDir();
    const out = join(root, 'run');
    const args = ['bin/welfare-sim.js', 'run', 'experiments/live-claude.yaml', '--batch', '--runs-dir', join(root, 'runs'), '--out', out, '--no-report', '--json'];
    const stdout = await new Promise<string>((done, fail) => execFile('node', args, { env }, (error, output, stderr) => (error ? fail(new Error(stderr)) : done(output))));
    expect(JSON.parse(stdout)).toMatchObject({ conversations: 40, errored: 0, status: 'complete' });
    expect(batches.lostReplies).toBe(2);
    const billed = batches.submitted.length;
    const counted = (calls: Record<string, { calls: number }>): number => Object.values(calls).reduce((sum, s) => sum + s.calls, 0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, { calls: number }> };
    expect(counted(manifest.modelCalls)).toBe(billed);
    expect(counted(readCallTally(out) ?? {})).toBe(billed);
    expect(batches.submitted).toEqual([...new Set(batches.submitted)]);
    expect(server.messageRequests).toEqual([]);
  });
});
