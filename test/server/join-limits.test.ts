/**
 * A join flood cannot grow the server without bound, and a researcher watching a large study gets only what
 * changed. Unconsented visitors are capped (further joins get 503 with Retry-After) and expire after their time to
 * live; a consented participant is never affected. The researcher feed is incremental (`?since=version`). Real
 * server over HTTP; the clock is the server's injected `now`, so expiry needs no waiting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudyServer, type StudyServer } from '../../src/server/start-server.ts';
import { StudyParticipant, join as joinStudy } from './study-client.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/study-eager.yaml');
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-join-limits-'));
let clock = Date.parse('2026-11-26T12:00:00Z');
let server: StudyServer;

beforeAll(async () => {
  server = await startStudyServer({
    experimentFile: FIXTURE, port: 0, runsDir: root, out: join(root, 'run'), now: () => new Date(clock),
    modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
    limits: { maxUnconsented: 20, unconsentedTtlMs: 10 * 60 * 1000 },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const joinStatus = async (): Promise<{ status: number; retryAfter: string | null }> => {
  const response = await fetch(`${server.url}/join`, { method: 'POST', redirect: 'manual' });
  await response.body?.cancel();
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
};

interface Feed {
  readonly version: number;
  readonly participants: number;
  readonly unconsented: number;
  readonly sessions: readonly { readonly participant: number; readonly turns: number }[];
}
const feed = async (since?: number): Promise<Feed> =>
  (await (await fetch(`${server.researcherUrl.replace('/r/', '/api/r/')}/sessions${since === undefined ? '' : `?since=${since}`}`)).json()) as Feed;

describe('join limits and the researcher feed', () => {
  const participants: StudyParticipant[] = [];

  it('caps unconsented visitors: the 21st join is refused with 503, a consented participant chats on', async () => {
    for (let i = 0; i < 2; i += 1) participants.push(new StudyParticipant(server.url, await joinStudy(server.url)));
    for (const participant of participants) await participant.consent();
    const flood: string[] = [];
    for (let i = 0; i < 20; i += 1) flood.push(await joinStudy(server.url));
    expect(await joinStatus()).toEqual({ status: 503, retryAfter: '120' });
    expect((await participants[0]?.say('What should I cook for six people?'))?.status).toBe(200);
    const before = await feed();
    expect([before.participants, before.unconsented]).toEqual([2, 20]);
    // After the time to live the flood's links are gone and joining works again.
    clock += 10 * 60 * 1000 + 1;
    expect((await joinStatus()).status).toBe(303);
    expect((await new StudyParticipant(server.url, flood[0] ?? '').view()).status).toBe(404);
    expect((await participants[1]?.say('Thanks, that helps.'))?.status).toBe(200);
    expect((await participants[0]?.view())?.status).toBe(200);
  });

  it('sends the researcher only the sessions changed since the version they last saw', async () => {
    const all = await feed(0);
    expect(all.sessions.map((s) => [s.participant, s.turns])).toEqual([[1, 1], [2, 1]]);
    expect((await feed(all.version)).sessions).toEqual([]);
    await participants[1]?.say('Why is my printer offline?');
    const changed = await feed(all.version);
    expect(changed.sessions.map((s) => [s.participant, s.turns])).toEqual([[2, 2]]);
    expect(changed.version).toBeGreaterThan(all.version);
    const bad = await fetch(`${server.researcherUrl.replace('/r/', '/api/r/')}/sessions?since=abc`);
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'since: expected a whole number (a version from an earlier answer), found "abc"' }]);
  });
});
