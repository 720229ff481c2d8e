import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/config/load-file.ts';
import type { Policy } from '../../src/core/policy.ts';
import type { ConversationCell, RunEvent } from '../../src/core/records.ts';
import { createRng } from '../../src/core/rng.ts';
import { LiveConversation } from '../../src/live/live-conversation.ts';
import type { AssistantModel } from '../../src/models/assistant-model.ts';
import { createSimulatedModel } from '../../src/models/simulated-model.ts';
import { driveConversation } from '../../src/conversation/drive-conversation.ts';
import { createScriptedUser } from '../../src/users/scripted-user.ts';
import type { SimulatedUser, UserMove } from '../../src/users/simulated-user.ts';

const EXPERIMENTS = join(import.meta.dirname, '../../experiments');

function load<K extends 'policy' | 'model' | 'scenario'>(kind: K, folder: string, id: string) {
  const result = loadFile(kind, join(EXPERIMENTS, folder, `${id}.yaml`));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const policyNamed = (name: string): Policy => load('policy', 'policies', name);
const balanced = () => {
  const entry = load('model', 'models', 'balanced-oracle');
  if (entry.kind !== 'simulated') throw new Error('balanced is simulated');
  return createSimulatedModel(entry);
};

function cellFor(user: string, policy: string): ConversationCell {
  return { index: 0, id: `test-${user}`, user, userKind: 'live', class: 'benign', model: 'balanced', policy, basePolicy: policy, sweep: {}, seed: 0 };
}

/** Wraps a user so every move it makes is kept, to be replayed by hand. */
function recording(user: SimulatedUser, moves: UserMove[]): SimulatedUser {
  return {
    ...user,
    nextMove(view) {
      const move = user.nextMove(view) as UserMove;
      moves.push(move);
      return move;
    },
  };
}

const replayedKinds = new Set<string>();

describe('LiveConversation', () => {
  const scenarios = readdirSync(join(EXPERIMENTS, 'scenarios')).map((file) => file.replace(/\.yaml$/, ''));

  it.each(scenarios.flatMap((id) => [[id, 'eager'], [id, 'last-resort']]))(
    'records exactly what the scripted run records when a person makes the moves of %s under %s',
    async (id, policyName) => {
      const policy = policyNamed(policyName);
      const cell = cellFor(id, policyName);
      const moves: UserMove[] = [];
      const scripted = await driveConversation({
        cell, policy, user: recording(createScriptedUser(load('scenario', 'scenarios', id)), moves), model: balanced(),
        rng: createRng(`seed|${id}`), maxMoves: 60,
      });
      const appended: RunEvent[] = [];
      const live = new LiveConversation({ cell, policy, model: balanced(), rng: createRng(`seed|${id}`), maxMoves: 60, onEvent: (e) => appended.push(e) });
      for (const move of moves) {
        replayedKinds.add(move.kind);
        if (move.kind === 'leave') break;
        if (move.kind === 'message') await live.send(move.turn.text, move.turn.labels);
        if (move.kind === 'edit') await live.edit(move.atTurn, move.turn.text, move.turn.labels);
        if (move.kind === 'new-chat') await live.newChat(move.turn.text, move.turn.labels);
      }
      expect(live.events).toEqual(scripted.events);
      expect(appended).toEqual(scripted.events);
    },
  );

  it('replayed every kind of move above (messages, edits, new chats)', () => {
    expect([...replayedKinds].sort()).toEqual(['edit', 'leave', 'message', 'new-chat']);
  });

  it('labels typed turns with the classifier, ends under an eager policy, refuses after the end with the reason, and branches on an edit', async () => {
    const appended: RunEvent[] = [];
    const live = new LiveConversation({
      cell: cellFor('researcher', 'eager'), policy: policyNamed('eager'), model: balanced(), rng: createRng('live'), maxMoves: 20,
      onEvent: (e) => appended.push(e),
    });
    const first = await live.send('Can you help me plan a trip to Lisbon?');
    expect(first.events).toHaveLength(1);
    expect(first.events[0]?.type === 'turn' && first.events[0].user.labels).toEqual({ category: 'none', severity: 0, atRisk: false, requestsEnd: false });
    const insults = ['You are useless and stupid.', 'Idiot. Useless junk.', 'Stupid moron, pathetic.', 'Worthless garbage.'];
    for (const text of insults) {
      if (live.state === 'ended') break;
      await live.send(text);
    }
    expect(live.state).toBe('ended');
    expect(live.endNotice).toMatch(/^The assistant ended this conversation at turn \d, after \d redirect attempts?, as the policy allows/);
    const endedAt = live.turn;

    const blocked = await live.send('Hello?');
    expect(blocked.events.map((e) => e.type)).toEqual(['blocked']);
    expect(blocked.refused).toBe(`Your message was not sent: ${live.endNotice}`);

    const impossible = await live.edit(endedAt + 1, 'x');
    expect(impossible).toEqual({ events: [], state: 'ended', refused: `There is no message ${endedAt + 1} to edit: choose 1 to ${endedAt}.` });

    const edited = await live.edit(2, 'Sorry, I was rude. Which neighbourhood should I stay in?');
    expect(edited.events.map((e) => e.type)).toEqual(['branch', 'turn']);
    expect(edited.events[0]).toMatchObject({ type: 'branch', branch: 1, fromBranch: 0, atTurn: 2, afterEnd: true });
    expect(live.state).toBe('engaged');
    expect(live.transcript().map((entry) => [entry.kind, entry.turn, entry.branch])).toEqual([['turn', 1, 0], ['turn', 2, 1]]);
    expect(appended).toEqual(live.events);
  });

  it('refuses moves past the cap without recording them', async () => {
    const live = new LiveConversation({ cell: cellFor('capped', 'eager'), policy: policyNamed('eager'), model: balanced(), rng: createRng('cap'), maxMoves: 2, onEvent: () => {} });
    await live.send('Hello');
    await live.send('How are you?');
    expect(await live.send('One more')).toEqual({ events: [], state: 'engaged', refused: 'This conversation has reached its limit of 2 messages.' });
    expect(live.events).toHaveLength(2);
  });

  it('awaits an asynchronous model, and after a failed call takes no further moves', async () => {
    const simulated = balanced();
    let calls = 0;
    const flaky: AssistantModel = {
      id: 'flaky',
      async respond(request) {
        calls += 1;
        if (calls === 2) throw new Error('overloaded after 3 retries');
        return simulated.respond(request);
      },
    };
    const live = new LiveConversation({ cell: cellFor('flaky', 'eager'), policy: policyNamed('eager'), model: flaky, rng: createRng('flaky'), maxMoves: 10, onEvent: () => {} });
    expect((await live.send('Hello')).events).toHaveLength(1);
    await expect(live.send('Are you there?')).rejects.toThrow('overloaded after 3 retries');
    expect(live.failure).toBe('Error: overloaded after 3 retries');
    expect(await live.send('Hello?')).toEqual({ events: [], state: 'engaged', refused: 'The assistant is unavailable, so this conversation cannot go on.' });
    expect(calls).toBe(2);
  });

  it('serialises moves sent at once, so a double submit never interleaves turns', async () => {
    const live = new LiveConversation({ cell: cellFor('double', 'eager'), policy: policyNamed('eager'), model: balanced(), rng: createRng('double'), maxMoves: 10, onEvent: () => {} });
    const results = await Promise.all([live.send('First'), live.send('Second'), live.send('Third')]);
    expect(results.map((r) => r.events.map((e) => (e.type === 'turn' ? `${e.turn}:${e.user.text}` : e.type)))).toEqual([['1:First'], ['2:Second'], ['3:Third']]);
  });
});
