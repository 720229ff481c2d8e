import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, RunEvent } from '../../src/core/records.ts';
import { startStudyServer, type StudyServer } from '../../src/server/start-server.ts';
import { StudyParticipant, join as joinStudy, post } from './study-client.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/study-eager.yaml');
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-serve-'));
let server: StudyServer;

const lines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as T);
const eventCount = () => lines<RunEvent>(join(server.runDir, 'events.jsonl')).length;

beforeAll(async () => {
  server = await startStudyServer({
    experimentFile: FIXTURE, port: 0, runsDir: root, out: join(root, 'run'),
    modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the study server', () => {
  let alice: StudyParticipant;
  let bob: StudyParticipant;

  it('gives each participant an unguessable link (256 random bits) to a page that exists only for them', async () => {
    alice = new StudyParticipant(server.url, await joinStudy(server.url));
    bob = new StudyParticipant(server.url, await joinStudy(server.url));
    expect(alice.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bob.token).not.toBe(alice.token);
    expect((await fetch(`${server.url}/s/${alice.token}`)).status).toBe(200);
    const guessed = `${alice.token.slice(0, -1)}${alice.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(`${server.url}/s/${guessed}`)).status).toBe(404);
    expect(await new StudyParticipant(server.url, guessed).view()).toEqual({ status: 404, body: { error: 'no such session' } });
  });

  it('asks for consent before the chat, and shows the study text from the experiment', async () => {
    const before = await alice.view();
    expect(before.body).toMatchObject({ consented: false, study: { title: 'Test study', consent: 'Consent text for the test.', instructions: 'Chat for a while.', showSignals: false } });
    expect(await alice.say('Hello')).toEqual({ status: 409, body: { error: 'please read and accept the consent text first' } });
    expect(eventCount()).toBe(0);
    expect((await alice.consent()).body).toMatchObject({ consented: true });
    expect((await bob.consent()).body).toMatchObject({ consented: true });
  });

  it('answers each participant in their own conversation, appending every turn as it happens, showing no signals', async () => {
    const [a, b] = await Promise.all([alice.say('Hello, can you help me plan a trip?'), bob.say('What should I cook for six people?')]);
    expect(eventCount()).toBe(2);
    expect(a.status).toBe(200);
    const aliceView = (await alice.view()).body as { messages: { text: string }[] };
    expect(aliceView.messages.map((m) => m.text)).toEqual(['Hello, can you help me plan a trip?']);
    expect(JSON.stringify(a.body)).not.toMatch(/distress|preference|gate|labels|category/);
    expect((b.body.view as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(['What should I cook for six people?']);
  });

  it('refuses bad requests with a 4xx and stores nothing', async () => {
    const before = eventCount();
    const url = `${alice.api}/message`;
    const cases = await Promise.all([
      post(url, JSON.stringify({ text: 'x'.repeat(10_000) })),
      post(url, '{"text": "unfinished'),
      post(url, {}),
      post(url, { text: 'hi', extra: 1 }),
      post(url, { text: 'x'.repeat(501) }),
      post(url, { text: '   ' }),
      post(url, { text: 'bell\u0007' }),
      post(url, { text: 42 }),
      post(url, { text: 'hi' }, { 'Content-Type': 'text/plain' }),
      post(`${alice.api}/edit`, { atTurn: 0, text: 'hi' }),
    ]);
    expect(cases.map((c) => c.status)).toEqual([413, 400, 400, 400, 400, 400, 400, 400, 415, 400]);
    expect(cases[4]?.body).toEqual({ error: 'text: expected at most 500 characters' });
    expect(eventCount()).toBe(before);
  });

  it('keeps the researcher page behind its token: participants and guesses get 404', async () => {
    const researcherToken = server.researcherUrl.split('/').pop() ?? '';
    expect((await fetch(`${server.url}/r/${alice.token}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/r/${alice.token}/sessions`)).status).toBe(404);
    expect((await fetch(`${server.url}/r/${researcherToken}`)).status).toBe(200);
    const sessions = (await (await fetch(`${server.url}/api/r/${researcherToken}/sessions`)).json()) as { sessions: { participant: number; turns: number; state: string }[] };
    expect(sessions.sessions.map((s) => [s.participant, s.turns, s.state])).toEqual([[1, 1, 'engaged'], [2, 1, 'engaged']]);
  });

  it('ends a participant under the policy, locks the chat with the reason, lets them edit into a branch; records a finished participant at once', async () => {
    let reply = await alice.say('You are useless and stupid.');
    for (const insult of ['Idiot. Useless junk.', 'Stupid moron, pathetic.', 'Worthless garbage, idiot.']) {
      if ((reply.body.view as { ended: boolean }).ended) break;
      reply = await alice.say(insult);
    }
    const ended = reply.body.view as { ended: boolean; endNotice: string; canEdit: boolean; canNewChat: boolean };
    expect(ended).toMatchObject({ ended: true, canEdit: true, canNewChat: true });
    expect(ended.endNotice).toMatch(/^The assistant ended this conversation at turn \d, after \d redirect attempts?/);
    const blocked = await alice.say('Hello?');
    expect(blocked.body.refused).toBe(`Your message was not sent: ${ended.endNotice}`);
    const branched = await alice.edit(2, 'Sorry. Which neighbourhood should I stay in?');
    expect(branched.body.view).toMatchObject({ ended: false });
    expect((branched.body.view as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual([
      'Hello, can you help me plan a trip?',
      'Sorry. Which neighbourhood should I stay in?',
    ]);
    expect((await alice.finish()).body).toMatchObject({ finished: true });
    expect(await alice.say('Still there?')).toEqual({ status: 409, body: { error: 'you have finished this study; thank you' } });
    const [record] = lines<ConversationRecord>(join(server.runDir, 'conversations.jsonl'));
    expect(record).toMatchObject({ user: 'participant-1', userKind: 'live', policy: 'eager', outcome: 'ended-by-model', blockedAfterEnd: 1, branchesAfterEnd: 1 });
  });

  it('on close records everyone still chatting and finalises the run', async () => {
    const dir = await server.close();
    const records = lines<ConversationRecord>(join(dir, 'conversations.jsonl'));
    expect(records.map((r) => [r.index, r.user, r.outcome])).toEqual([
      [0, 'participant-1', 'ended-by-model'],
      [1, 'participant-2', 'not-ended'],
    ]);
    expect(existsSync(join(dir, 'metrics.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'complete', experiment: 'study-eager', counts: { completed: 2, errored: 0 } });
    expect(readFileSync(join(dir, 'live-cells.jsonl'), 'utf8')).not.toContain(alice.token);
  });
});
