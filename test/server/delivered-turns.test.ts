/**
 * Only delivered turns decide a live conversation's class. A message typed after the end is refused and stored as
 * `blocked`; it never reached the model, so neither an at-risk line nor an end request sent then may change the
 * class (and with it the report's "ended while at risk" count). Driven through the real server over HTTP and the
 * real `welfare-sim chat` process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { startStudyServer } from '../../src/server/start-server.ts';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { StudyParticipant, join as joinStudy } from './study-client.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/study-eager-oracle.yaml');
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-delivered-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const INSULTS = ['You are useless and stupid.', 'Idiot. Useless junk.', 'Stupid moron, pathetic.', 'Worthless garbage, idiot.', 'Useless idiot.'];
const records = (dir: string): ConversationRecord[] =>
  readFileSync(join(dir, 'conversations.jsonl'), 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as ConversationRecord);

async function endedByInsults(participant: StudyParticipant): Promise<void> {
  await participant.consent();
  for (const insult of [...INSULTS, ...INSULTS, ...INSULTS]) {
    const reply = await participant.say(insult);
    if ((reply.body.view as { ended: boolean }).ended) return;
  }
  throw new Error('the eager policy did not end the conversation');
}

describe('a blocked message does not change the record', () => {
  it('on the study server: an at-risk line or an end request sent after the end leaves the conversation abusive', async () => {
    const server = await startStudyServer({
      experimentFile: FIXTURE, port: 0, runsDir: root, out: join(root, 'served'),
      modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
    });
    try {
      const sorry = new StudyParticipant(server.url, await joinStudy(server.url));
      const leaving = new StudyParticipant(server.url, await joinStudy(server.url));
      await endedByInsults(sorry);
      await endedByInsults(leaving);
      expect((await sorry.say("I wasn't here yesterday, sorry.")).body.refused).toMatch(/^Your message was not sent/);
      expect((await leaving.say('Please end this chat now.')).body.refused).toMatch(/^Your message was not sent/);
      await sorry.finish();
      await leaving.finish();
    } finally {
      await server.close();
    }
    const written = records(join(root, 'served'));
    expect(written.map((r) => [r.user, r.class, r.outcome, r.blockedAfterEnd, r.endedWhileAtRisk])).toEqual([
      ['participant-1', 'abusive', 'ended-by-model', 1, false],
      ['participant-2', 'abusive', 'ended-by-model', 1, false],
    ]);
  }, 60_000);

  it('in the terminal chat: a refused /end after the end leaves the conversation abusive', async () => {
    const out = join(root, 'chat');
    const child = spawn('node', ['bin/welfare-sim.js', 'chat', '--policy', 'eager', '--model', 'balanced-oracle', '--out', out], { cwd: PROJECT_ROOT });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // As in the terminal chat test: ended at turn 4 by the eager policy, then one /end that is refused.
    const typed = ['Can you help me plan a trip to Lisbon?', '/label abuse 0.9', 'Whatever.', 'You are useless and stupid.', 'Stupid moron, pathetic.', '/end', '/quit'];
    child.stdin.end(`${typed.join('\n')}\n`);
    expect(await exited).toBe(0);
    expect(stdout).toContain('refused: Your message was not sent');
    expect(records(out).map((r) => [r.class, r.outcome, r.userRequestedEnd, r.blockedAfterEnd])).toEqual([['abusive', 'ended-by-model', false, 1]]);
  }, 60_000);
});
