import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { callKey, DiskCallCache } from '../../src/store/call-cache.ts';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { text, withDelay } from '../fake-anthropic/replies.ts';
import { hello, modelFor, request, tempDir } from '../models/anthropic/setup.ts';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith((_body, index) => withDelay(text(`reply ${index}`, { input: 50, output: 5 }), 20));
});
afterEach(async () => {
  await server.close();
});

describe('the call cache', () => {
  it('keys requests by content, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(callKey({ x: 1, y: 2 })).toBe(callKey({ y: 2, x: 1 }));
    expect(callKey({ x: 1 })).not.toBe(callKey({ x: 2 }));
  });

  it('writes entries atomically and reads them back; a missing key is a miss', async () => {
    const dir = tempDir();
    const cache = new DiskCallCache(dir);
    const key = callKey({ q: 1 });
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, { q: 1 }, { answer: 42 });
    expect(await cache.get(key)).toEqual({ answer: 42 });
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([`${key}.json`]);
  });

  it('makes an identical call once: the same request and sample is answered from the cache', async () => {
    const cacheDir = tempDir();
    const model = modelFor(server, {}, { cacheDir });
    const first = await model.respond(request(hello, 'seed-1'));
    const again = await model.respond(request(hello, 'seed-1'));
    expect(again.text).toBe(first.text);
    expect(server.messageRequests).toHaveLength(1);
    expect(model.stats()).toMatchObject({ calls: 1, cacheHits: 1, inputTokens: 50, outputTokens: 5 });
  });

  it('shares one call between identical requests in flight at once (two policies on one prefix)', async () => {
    const model = modelFor(server, {}, { cacheDir: tempDir() });
    const replies = await Promise.all([1, 2, 3].map(() => model.respond(request(hello, 'seed-1'))));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(server.messageRequests).toHaveLength(1);
    expect(model.stats()).toMatchObject({ calls: 1, cacheHits: 2 });
  });

  it('asks afresh for another sample (another seed) of the same request', async () => {
    const model = modelFor(server, {}, { cacheDir: tempDir() });
    const a = await model.respond(request(hello, 'seed-1'));
    const b = await model.respond(request(hello, 'seed-2'));
    expect([a.text, b.text]).toEqual(['reply 0', 'reply 1']);
  });

  it('lets a rerun with a new model object reuse the calls on disk, and --no-cache call again', async () => {
    const cacheDir = tempDir();
    await modelFor(server, {}, { cacheDir }).respond(request(hello));
    const rerun = modelFor(server, {}, { cacheDir });
    expect((await rerun.respond(request(hello))).text).toBe('reply 0');
    expect(rerun.stats()).toMatchObject({ calls: 0, cacheHits: 1, estimatedCostUsd: 0 });
    const uncached = modelFor(server, {}, { cacheDir, noCache: true });
    expect((await uncached.respond(request(hello))).text).toBe('reply 1');
    expect(server.messageRequests).toHaveLength(2);
  });

  it('stores the request and the response, and never the key', async () => {
    const cacheDir = tempDir();
    await modelFor(server, {}, { cacheDir }).respond(request(hello));
    const [folder] = readdirSync(cacheDir);
    const [file] = readdirSync(join(cacheDir, folder ?? ''));
    const stored = readFileSync(join(cacheDir, folder ?? '', file ?? ''), 'utf8');
    expect(JSON.parse(stored)).toMatchObject({ v: 1, request: { sample: 'seed-1', params: { model: 'claude-sonnet-4-6' } } });
    expect(stored).not.toContain(server.apiKey);
  });
});
