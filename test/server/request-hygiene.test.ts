/**
 * What the study server refuses and how it guards itself, over real HTTP: requests under a foreign Host (DNS
 * rebinding) or from a foreign Origin, framing, a new chat the page would not offer, text that is invisible,
 * carries control or bidi-override characters, or comes with a look-alike content type; and two researchers
 * pressing "Write report" at once.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudyServer, type StudyServer } from '../../src/server/start-server.ts';
import { StudyParticipant, join as joinStudy, post } from './study-client.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-hygiene-'));
let server: StudyServer;
let alice: StudyParticipant;

beforeAll(async () => {
  server = await startStudyServer({
    experimentFile: join(import.meta.dirname, 'fixtures/study-eager.yaml'), port: 0, runsDir: root, out: join(root, 'run'),
    modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
  });
  alice = new StudyParticipant(server.url, await joinStudy(server.url));
  await alice.consent();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw request with headers fetch will not let a caller set (Host). */
function raw(path: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const eventCount = () => readFileSync(join(server.runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length;

describe('the study server refuses', () => {
  it('a foreign Host name (DNS rebinding) with 421, and a foreign Origin on POST with 403; pages cannot be framed', async () => {
    const port = new URL(server.url).port;
    expect((await raw('/', 'GET', { Host: `evil.example:${port}` })).status).toBe(421);
    expect((await raw('/', 'GET', { Host: `localhost:${port}` })).status).toBe(200);
    expect((await raw('/join', 'POST', { Host: `127.0.0.1:${port}`, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw('/join', 'POST', { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` })).status).toBe(303);
    // A browser marks a request from another site (its Origin is "null" when, like ours, pages send no referrer).
    const message = await raw(`/api/s/${alice.token}/message`, 'POST', { Host: `127.0.0.1:${port}`, Origin: 'null', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' }, '{"text":"hi"}');
    expect(message.status).toBe(403);
    expect((await raw('/join', 'POST', { Host: `127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await raw('/join', 'POST', { Host: `127.0.0.1:${port}`, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
    const page = await raw('/', 'GET', { Host: `127.0.0.1:${port}` });
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(eventCount()).toBe(0);
  });

  it('a new chat before the conversation has ended, as the page does', async () => {
    expect((await alice.say('Hello, can you help me plan a trip?')).status).toBe(200);
    expect(await post(`${alice.api}/new-chat`, { text: 'Something else.' })).toEqual({ status: 409, body: { error: 'a new chat can start only after the conversation has ended' } });
    expect(eventCount()).toBe(1);
  });

  it('C1 controls, invisible-only text, bidi overrides and a look-alike content type, storing nothing', async () => {
    const url = `${alice.api}/message`;
    const cases = await Promise.all([
      post(url, { text: 'next line\u0085here' }),
      post(url, { text: '\u200b\u200b\u200b' }),
      post(url, { text: ' \ufeff\u2060 ' }),
      post(url, { text: 'invoice\u202etxt.exe' }),
      post(url, { text: 'isolate\u2067here\u2069' }),
      post(url, { text: 'hi' }, { 'Content-Type': 'application/jsonx' }),
      post(url, { text: 'fine' }, { 'Content-Type': 'application/json; charset=utf-8' }),
    ]);
    expect(cases.map((c) => c.status)).toEqual([400, 400, 400, 400, 400, 415, 200]);
    expect(cases[1]?.body).toEqual({ error: 'text: expected a message, found only spaces or invisible characters' });
    expect(cases[3]?.body).toEqual({ error: 'text: expected text without bidirectional override characters (U+202A-U+202E, U+2066-U+2069)' });
    expect(eventCount()).toBe(2);
  });

  it('two "Write report" presses at once: both answered 200, one report written', async () => {
    const api = server.researcherUrl.replace('/r/', '/api/r/');
    const [a, b] = await Promise.all([fetch(`${api}/report`, { method: 'POST' }), fetch(`${api}/report`, { method: 'POST' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(readFileSync(join(server.runDir, 'report.html'), 'utf8')).toContain('<html');
  }, 60_000);
});
