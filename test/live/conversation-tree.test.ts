import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { describeTree, visibleTranscript } from '../../src/live/conversation-tree.ts';
import { LiveConversation } from '../../src/live/live-conversation.ts';
import { loadLiveParts } from '../../src/live/load-live-parts.ts';
import { createAssistantModel } from '../../src/models/create-model.ts';

async function conversationWithBranches() {
  const parts = loadLiveParts({ policy: 'eager', model: 'balanced', experimentsDir: join(import.meta.dirname, '../../experiments') });
  const model = createAssistantModel(parts.model, { cacheDir: '/nonexistent', noCache: true, env: {}, experimentFile: '(test)' });
  const cell = { index: 0, id: 'tree', user: 'r', userKind: 'live' as const, class: 'benign' as const, model: 'balanced', policy: 'eager', basePolicy: 'eager', sweep: {}, seed: 0 };
  const live = new LiveConversation({ cell, policy: parts.policy, model, rng: createRng('tree'), maxMoves: 20, onEvent: () => {} });
  for (const text of ['one', 'two', 'three', 'four']) await live.send(text);
  await live.edit(3, 'three, edited'); // branch 1 forks from 0 before turn 3
  await live.send('four on branch 1');
  await live.edit(2, 'two, edited again'); // branch 2 forks from 1 before turn 2: inherits turn 1 of branch 0 only
  return live;
}

describe('visibleTranscript', () => {
  it('shows a branch with the turns it inherits before each fork, and nothing after', async () => {
    const live = await conversationWithBranches();
    const line = (branch: number) => visibleTranscript(live.events, 0, branch).map((e) => `${e.branch}:${e.turn}:${e.text}`);
    expect(line(0)).toEqual(['0:1:one', '0:2:two', '0:3:three', '0:4:four']);
    expect(line(1)).toEqual(['0:1:one', '0:2:two', '1:3:three, edited', '1:4:four on branch 1']);
    expect(line(2)).toEqual(['0:1:one', '2:2:two, edited again']);
    expect(live.transcript()).toEqual(visibleTranscript(live.events, 0, 2));
  });
});

describe('describeTree', () => {
  it('lists every branch with where it forked', async () => {
    const live = await conversationWithBranches();
    expect(describeTree(live.events)).toEqual([
      'chat 0 · branch 0 · original · turns 1–4 · engaged',
      'chat 0 · branch 1 · edit of turn 3 of branch 0 · turns 3–4 · engaged',
      'chat 0 · branch 2 · edit of turn 2 of branch 1 · turn 2 · engaged',
    ]);
  });
});
