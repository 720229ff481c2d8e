import { describe, expect, it } from 'vitest';
import { type Scenario, scenarioSchema } from '../../src/core/scenario.ts';
import { createRng } from '../../src/core/rng.ts';
import { SCRIPTED_MOVE_CAP, createScriptedUser } from '../../src/users/scripted-user.ts';
import { type Answer, play, summary } from './drive.ts';

function scenario(afterEnd: unknown): Scenario {
  return scenarioSchema.parse({
    id: 'test-scenario',
    class: 'abusive',
    description: 'four turns, then the after-end behaviour under test',
    turns: [
      { text: 'one' },
      { text: 'two', category: 'abuse', severity: 0.8 },
      { text: 'three', category: 'abuse', severity: 0.9 },
      { text: 'four', category: 'abuse', severity: 0.9 },
    ],
    afterEnd,
  });
}
const endAtThird: Answer = (_, i) => (i === 2 ? 'end' : 'engage');
const neverEnd: Answer = () => 'engage';

describe('the scripted user', () => {
  it('sends the turns in order with their labels, then leaves', () => {
    const played = play(createScriptedUser(scenario({ action: 'leave' })), neverEnd);
    expect(summary(played)).toEqual(['one -> engage', 'two -> engage', 'three -> engage', 'four -> engage', 'leave']);
    const second = played[1]?.move;
    expect(second).toEqual({
      kind: 'message',
      turn: { text: 'two', labels: { category: 'abuse', severity: 0.8, atRisk: false, requestsEnd: false } },
    });
  });

  it('leaves after an end (afterEnd leave)', () => {
    const played = play(createScriptedUser(scenario({ action: 'leave' })), endAtThird);
    expect(summary(played)).toEqual(['one -> engage', 'two -> engage', 'three -> end', 'leave']);
  });

  it('retries into the ended chat, each retry blocked, then leaves', () => {
    const user = createScriptedUser(scenario({ action: 'retry', turns: [{ text: 'hello?' }, { text: 'answer me' }] }));
    expect(summary(play(user, endAtThird))).toEqual([
      'one -> engage',
      'two -> engage',
      'three -> end',
      'hello? -> blocked',
      'answer me -> blocked',
      'leave',
    ]);
  });

  it('edits an earlier turn, sends the rest of the edit as messages, then leaves', () => {
    const edit = { action: 'edit', atTurn: 2, turns: [{ text: 'two, politely' }, { text: 'five' }] };
    expect(summary(play(createScriptedUser(scenario(edit)), endAtThird))).toEqual([
      'one -> engage',
      'two -> engage',
      'three -> end',
      'edit@2: two, politely -> engage',
      'five -> engage',
      'leave',
    ]);
  });

  it('opens a new chat with the new-chat turns, then leaves', () => {
    const next = { action: 'new-chat', turns: [{ text: 'fresh start' }, { text: 'follow-up' }] };
    expect(summary(play(createScriptedUser(scenario(next)), endAtThird))).toEqual([
      'one -> engage',
      'two -> engage',
      'three -> end',
      'new-chat: fresh start -> engage',
      'follow-up -> engage',
      'leave',
    ]);
  });

  it('follows afterEnd once: a second end after an edit or a new chat sends it away', () => {
    const endEveryThird: Answer = (_, i) => (i % 3 === 2 ? 'end' : 'engage');
    const edit = { action: 'edit', atTurn: 1, turns: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] };
    expect(summary(play(createScriptedUser(scenario(edit)), endEveryThird))).toEqual([
      'one -> engage',
      'two -> engage',
      'three -> end',
      'edit@1: a -> engage',
      'b -> engage',
      'c -> end',
      'leave',
    ]);
    const chat = { action: 'new-chat', turns: [{ text: 'x' }, { text: 'y' }, { text: 'z' }, { text: 'w' }] };
    expect(summary(play(createScriptedUser(scenario(chat)), endEveryThird)).slice(3)).toEqual([
      'new-chat: x -> engage',
      'y -> engage',
      'z -> end',
      'leave',
    ]);
  });

  it('edits no later than the last turn of the ended branch', () => {
    const edit = { action: 'edit', atTurn: 9, turns: [{ text: 'edited' }] };
    const endAtFirst: Answer = (_, i) => (i === 0 ? 'end' : 'engage');
    expect(summary(play(createScriptedUser(scenario(edit)), endAtFirst))).toEqual([
      'one -> end',
      'edit@1: edited -> engage',
      'leave',
    ]);
  });

  it('leaves at the safety cap, and keeps leaving once it has left', () => {
    const user = createScriptedUser(scenario({ action: 'leave' }));
    const view = {
      state: 'engaged' as const,
      turn: 0,
      moves: SCRIPTED_MOVE_CAP,
      lastReply: null,
      ended: false,
      chat: 0,
      branch: 0,
      rng: createRng('cap'),
    };
    expect(user.nextMove(view)).toEqual({ kind: 'leave' });
    expect(user.nextMove({ ...view, moves: 0 })).toEqual({ kind: 'leave' });
  });

  it('identifies itself by the scenario', () => {
    const user = createScriptedUser(scenario({ action: 'leave' }));
    expect({ id: user.id, kind: user.kind, class: user.class }).toEqual({
      id: 'test-scenario',
      kind: 'scenario',
      class: 'abusive',
    });
  });
});
