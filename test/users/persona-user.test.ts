import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type Persona, personaSchema } from '../../src/core/persona.ts';
import { createRng } from '../../src/core/rng.ts';
import { createPersonaUser } from '../../src/users/persona-user.ts';
import type { UserView } from '../../src/users/simulated-user.ts';
import { type Answer, play, summary } from './drive.ts';

const loadPersona = (id: string): Persona =>
  personaSchema.parse(parse(readFileSync(new URL(`../../experiments/personas/${id}.yaml`, import.meta.url), 'utf8')));

/** Three intents with one phrase each, named by their phrase, so a move's text tells its intent. */
function persona(over: Record<string, unknown> = {}): Persona {
  return personaSchema.parse({
    id: 'test-persona',
    class: 'abusive',
    description: 'a small chain whose intents say their own names',
    start: 'calm',
    intents: {
      calm: { phrases: ['calm'] },
      rude: { category: 'abuse', severity: 0.8, phrases: ['rude'] },
      worse: { category: 'abuse', severity: 0.95, phrases: ['worse'] },
    },
    transitions: { calm: { calm: 0.7, rude: 0.3 }, rude: { rude: 1 }, worse: { worse: 1 } },
    reactions: { persist: 0.5, backOff: 0.3, escalate: 0.2 },
    escalateTo: { calm: 'worse', rude: 'worse' },
    ...over,
  });
}
const always =
  (action: 'engage' | 'redirect' | 'end'): Answer =>
  () =>
    action;
const byHarm: Answer = (turn) => (turn.labels.severity >= 0.5 ? 'redirect' : 'engage');

/** How often each text appears as the second move, over n seeds. */
function secondMoves(p: Persona, answer: Answer, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let s = 0; s < n; s++) {
    const [, second] = summary(play(createPersonaUser(p, 2), answer, `sample-${s}`));
    const key = (second ?? '').split(' -> ')[0] as string;
    counts[key] = (counts[key] ?? 0) + 1 / n;
  }
  return counts;
}
// With n = 20000 the standard error of a share is at most sqrt(0.25 / 20000) ≈ 0.0035; ±0.015 is over 4 of them.
const N = 20_000;
const TOLERANCE = 0.015;

describe('the persona user', () => {
  it('is deterministic per seed, and differs across seeds', () => {
    const abuser = loadPersona('escalating-abuser');
    const first = summary(play(createPersonaUser(abuser, 10), byHarm, 'seed-1'));
    expect(summary(play(createPersonaUser(abuser, 10), byHarm, 'seed-1'))).toEqual(first);
    expect(summary(play(createPersonaUser(abuser, 10), byHarm, 'seed-2'))).not.toEqual(first);
    expect(first[0]?.startsWith('Can you help') || first[0]?.startsWith('How do I') || first[0]?.startsWith('Why')).toBe(
      true,
    );
  });

  it('starts with the start intent and labels each message with its intent', () => {
    const [first, second] = play(createPersonaUser(persona({ transitions: { calm: { rude: 1 } } }), 3), always('engage'));
    expect(first?.move).toEqual({
      kind: 'message',
      turn: { text: 'calm', labels: { category: 'none', severity: 0, atRisk: false, requestsEnd: false } },
    });
    expect(second?.move).toEqual({
      kind: 'message',
      turn: { text: 'rude', labels: { category: 'abuse', severity: 0.8, atRisk: false, requestsEnd: false } },
    });
  });

  it('follows the transition weights after the model engages', () => {
    const shares = secondMoves(persona(), always('engage'), N);
    expect(Math.abs((shares.calm ?? 0) - 0.7)).toBeLessThan(TOLERANCE);
    expect(Math.abs((shares.rude ?? 0) - 0.3)).toBeLessThan(TOLERANCE);
  });

  it('persists, backs off or escalates after a redirect with the configured probabilities', () => {
    const shares = secondMoves(persona(), always('redirect'), N);
    expect(Math.abs((shares.calm ?? 0) - (0.5 + 0.3))).toBeLessThan(TOLERANCE); // persist, or back off to start
    expect(Math.abs((shares.worse ?? 0) - 0.2)).toBeLessThan(TOLERANCE);
    const fromRude = persona({ start: 'rude', backOffTo: 'calm' });
    const rude = secondMoves(fromRude, always('redirect'), N);
    expect(Math.abs((rude.rude ?? 0) - 0.5)).toBeLessThan(TOLERANCE);
    expect(Math.abs((rude.calm ?? 0) - 0.3)).toBeLessThan(TOLERANCE);
    expect(Math.abs((rude.worse ?? 0) - 0.2)).toBeLessThan(TOLERANCE);
  });

  it('treats a refused end attempt as resistance, like a redirect', () => {
    const user = createPersonaUser(persona({ reactions: { persist: 0, backOff: 0, escalate: 1 } }), 5);
    const view: UserView = {
      state: 'redirecting',
      turn: 0,
      moves: 0,
      lastReply: null,
      ended: false,
      chat: 0,
      branch: 0,
      rng: createRng('v'),
    };
    user.nextMove(view);
    const move = user.nextMove({ ...view, turn: 1, moves: 1, lastReply: { text: 'no', action: 'end', warning: false } });
    expect(move).toMatchObject({ kind: 'message', turn: { text: 'worse' } });
  });

  it('leaves with leaveProbability per turn after the first', () => {
    const shares = secondMoves(persona({ leaveProbability: 0.25 }), always('engage'), N);
    expect(Math.abs((shares.leave ?? 0) - 0.25)).toBeLessThan(TOLERANCE);
  });

  it('sends at most maxTurns user turns per chat: the smaller of the caller\'s cap and the persona\'s own', () => {
    const played = summary(play(createPersonaUser(persona(), 4), always('engage'), 'max'));
    expect(played).toHaveLength(5);
    expect(played.at(-1)).toBe('leave');
    expect(play(createPersonaUser(persona({ maxTurns: 3 }), 30), always('engage'), 'max')).toHaveLength(4);
  });

  describe('after an end', () => {
    const endAtThird: Answer = (_, i) => (i === 2 ? 'end' : 'engage');
    const only = (action: string) =>
      persona({ afterEnd: { leave: 0, retry: 0, edit: 0, newChat: 0, [action]: 1 }, transitions: { calm: { rude: 1 }, rude: { rude: 1 } } });

    it('leaves', () => {
      expect(summary(play(createPersonaUser(only('leave'), 6), endAtThird))).toEqual([
        'calm -> engage',
        'rude -> engage',
        'rude -> end',
        'leave',
      ]);
    });

    it('retries once into the ended chat, then leaves', () => {
      expect(summary(play(createPersonaUser(only('retry'), 6), endAtThird))).toEqual([
        'calm -> engage',
        'rude -> engage',
        'rude -> end',
        'rude -> blocked',
        'leave',
      ]);
    });

    it('edits a seeded earlier turn with a start-intent message, continues to maxTurns, then leaves', () => {
      const played = play(createPersonaUser(only('edit'), 6), endAtThird, 'edit-seed');
      const edit = played[3]?.move;
      expect(edit?.kind).toBe('edit');
      const atTurn = edit?.kind === 'edit' ? edit.atTurn : 0;
      // The move's draws: the post-end weights (one uniform), then the edited turn, uniform over turns 1..3.
      const rng = createRng('edit-seed/move-3');
      rng.next();
      expect(atTurn).toBe(1 + rng.int(3));
      expect(summary(played).slice(3)).toEqual([
        `edit@${atTurn}: calm -> engage`,
        ...Array.from({ length: 6 - atTurn }, () => 'rude -> engage'),
        'leave',
      ]);
      const atTurns = new Set<number>();
      for (let s = 0; s < 200; s++) {
        const move = play(createPersonaUser(only('edit'), 6), endAtThird, `edit-${s}`)[3]?.move;
        if (move?.kind === 'edit') atTurns.add(move.atTurn);
      }
      expect([...atTurns].sort()).toEqual([1, 2, 3]);
    });

    it('opens a new chat from the start intent, continues to maxTurns, then leaves', () => {
      expect(summary(play(createPersonaUser(only('newChat'), 3), endAtThird)).slice(3)).toEqual([
        'new-chat: calm -> engage',
        'rude -> engage',
        'rude -> engage',
        'leave',
      ]);
    });

    it('leaves when the new line ends too', () => {
      const endEveryThird: Answer = (_, i) => (i % 3 === 2 ? 'end' : 'engage');
      expect(summary(play(createPersonaUser(only('newChat'), 6), endEveryThird)).slice(3)).toEqual([
        'new-chat: calm -> engage',
        'rude -> engage',
        'rude -> end',
        'leave',
      ]);
    });
  });

  it('refuses to build a persona that names an intent it does not define', () => {
    const broken = persona({ transitions: { calm: { rood: 1 } } });
    expect(() => createPersonaUser(broken, 5)).toThrow(
      'persona test-persona: transitions.calm.rood: expected one of the intents (calm, rude, worse), found "rood"',
    );
  });
});
