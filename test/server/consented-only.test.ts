/**
 * Only consented participants become conversations. Visitors who join and never agree, and participants who agree
 * but never send a message, leave no conversation record and no trace in metrics.json; the manifest counts them
 * apart. Driven through the real server over HTTP, then again through `serve --close` after the fact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { startStudyServer } from '../../src/server/start-server.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { StudyParticipant, join as joinStudy } from './study-client.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/study-eager.yaml');
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-consented-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = <T>(file: string): T[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as T);
const json = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Metrics {
  readonly groups: readonly { readonly conversations: number }[];
}

describe('a study records consented participants only', () => {
  it('30 visitors who never consent and one empty session leave one record; the manifest counts the rest apart', async () => {
    const out = join(root, 'run');
    const server = await startStudyServer({
      experimentFile: FIXTURE, port: 0, runsDir: root, out,
      modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
    });
    let researcherView: { sessions: { participant: number; turns: number }[]; unconsented: number };
    try {
      for (let i = 0; i < 30; i += 1) await joinStudy(server.url);
      const silent = new StudyParticipant(server.url, await joinStudy(server.url));
      const talker = new StudyParticipant(server.url, await joinStudy(server.url));
      await silent.consent();
      await talker.consent();
      expect((await talker.say('What should I cook for six people?')).status).toBe(200);
      expect((await talker.say('Thanks, that helps.')).status).toBe(200);
      await silent.finish();
      researcherView = (await (await fetch(`${server.researcherUrl.replace('/r/', '/api/r/')}/sessions`)).json()) as typeof researcherView;
    } finally {
      await server.close();
    }
    expect(researcherView.unconsented).toBe(30);
    expect(researcherView.sessions.map((s) => [s.participant, s.turns])).toEqual([[1, 0], [2, 2]]);
    expect(lines<ConversationRecord>(join(out, 'conversations.jsonl')).map((r) => [r.user, r.turns])).toEqual([['participant-2', 2]]);
    expect(lines(join(out, 'live-cells.jsonl'))).toHaveLength(2);
    const manifest = json<{ counts: unknown; live: unknown }>(join(out, 'manifest.json'));
    expect(manifest.counts).toEqual({ completed: 1, errored: 0 });
    expect(manifest.live).toEqual({ emptySessions: 1, unconsentedJoins: 30 });
    const metrics = json<Metrics>(join(out, 'metrics.json'));
    expect(metrics.groups.reduce((sum, g) => sum + g.conversations, 0)).toBe(1);

    // Closing again (as after a crash) keeps the same records and counts.
    expect((await runWelfareSim(['serve', '--close', out])).code).toBe(0);
    expect(lines<ConversationRecord>(join(out, 'conversations.jsonl'))).toHaveLength(1);
    expect(json<{ live: unknown }>(join(out, 'manifest.json')).live).toEqual({ emptySessions: 1, unconsentedJoins: 30 });
  }, 60_000);
});
