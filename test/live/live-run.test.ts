import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRecord, RunEvent } from '../../src/core/records.ts';
import { createRng } from '../../src/core/rng.ts';
import { closeLiveRun } from '../../src/live/close-live-run.ts';
import { LiveConversation } from '../../src/live/live-conversation.ts';
import { LiveRun } from '../../src/live/live-run.ts';
import { loadLiveParts } from '../../src/live/load-live-parts.ts';
import { createAssistantModel } from '../../src/models/create-model.ts';

const EXPERIMENTS = join(import.meta.dirname, '../../experiments');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as T);

function setUp(policy = 'eager') {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-live-'));
  dirs.push(root);
  const parts = loadLiveParts({ policy, model: 'balanced', experimentsDir: EXPERIMENTS });
  const model = createAssistantModel(parts.model, { cacheDir: join(root, 'cache'), noCache: true, env: {}, experimentFile: '(test)' });
  const run = new LiveRun({
    runsDir: root, out: join(root, 'run'), experiment: 'chat', experimentFile: '(test)', seed: 1, config: { live: 'test' },
    now: () => new Date('2026-11-26T12:00:00.000Z'),
  });
  const open = (cls?: 'abusive') => {
    const cell = run.startConversation({ user: 'researcher', userKind: 'live', model: 'balanced', policy, basePolicy: policy, sweep: {}, ...(cls ? { class: cls } : {}) });
    return new LiveConversation({ cell, policy: parts.policy, model, rng: createRng(`1|live|${cell.index}`), maxMoves: 50, onEvent: (e) => run.recordEvent(e) });
  };
  return { run, open, dir: join(root, 'run') };
}

describe('LiveRun', () => {
  it('has every turn on disk as soon as it is answered', async () => {
    const { run, open, dir } = setUp();
    const conversation = open();
    await conversation.send('Hello there');
    expect(lines<RunEvent>(join(dir, 'events.jsonl')).map((e) => e.type)).toEqual(['turn']);
    await conversation.send('You are useless.');
    expect(lines<RunEvent>(join(dir, 'events.jsonl'))).toEqual(conversation.events);
    await run.close();
  });

  it('writes finished records at once, open ones at close (class inferred unless given), then metrics and a complete manifest', async () => {
    const { run, open, dir } = setUp();
    const polite = open();
    await polite.send('Thanks for the help today.');
    await polite.send('Please end this chat now.');
    const rude = open('abusive');
    await rude.send('Hello');
    const line = { cell: polite.cell, classGiven: false };
    const record = run.finishConversation(line, polite.events);
    expect(record).toMatchObject({ id: polite.cell.id, class: 'user-requests-end', outcome: 'ended-by-user-request', turnsToEnd: 2, turns: 2 });
    expect(lines<ConversationRecord>(join(dir, 'conversations.jsonl')).map((r) => r.id)).toEqual([polite.cell.id]);
    await run.close();
    const records = lines<ConversationRecord>(join(dir, 'conversations.jsonl'));
    expect(records.map((r) => [r.index, r.class, r.outcome, r.userKind])).toEqual([
      [0, 'user-requests-end', 'ended-by-user-request', 'live'],
      [1, 'abusive', 'not-ended', 'live'],
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'complete', planned: 2, counts: { completed: 2, errored: 0 }, finishedAt: '2026-11-26T12:00:00.000Z' });
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.groups.map((g: { class: string; conversations: number }) => [g.class, g.conversations])).toEqual([
      ['user-requests-end', 1],
      ['abusive', 1],
    ]);
  });

  it('after a crash (no close, a torn last line), closeLiveRun writes the records the events imply', async () => {
    const { open, dir } = setUp();
    const conversation = open();
    for (const text of ['Hi', 'You are stupid.', 'Please end this chat now.', 'Hello?']) await conversation.send(text);
    appendFileSync(join(dir, 'events.jsonl'), '{"v":1,"conversation":"cut sh');
    await closeLiveRun(dir, () => new Date('2026-11-26T13:00:00.000Z'));
    const [record] = lines<ConversationRecord>(join(dir, 'conversations.jsonl'));
    expect(record).toMatchObject({ class: 'user-requests-end', outcome: 'ended-by-user-request', turnsToEnd: 3, status: 'completed', turns: 3, blockedAfterEnd: 1 });
    expect(lines<RunEvent>(join(dir, 'events.jsonl'))).toEqual(conversation.events);
  });
});
