/**
 * The safety invariants on 10,000 seeded random event sequences over random policies. The generator leans on
 * the interesting cases (harmful turns, end attempts, at-risk users, edits, invalid edits, replies with nothing
 * pending) and the test asserts they all occurred, so it cannot pass by never reaching them.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { conversationMachine, topState } from '../../machines/conversation.ts';
import type { ConversationEvent } from '../../src/core/conversation-events.ts';
import { END_MODES, type Policy } from '../../src/core/policy.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { askConfirmation, edit, reply, smallPolicy, user } from './conversation-fixtures.ts';
import { BranchHistory, stepViolations } from './conversation-invariants.ts';

const SEQUENCES = 10_000;

function randomPolicy(rng: Rng): Policy {
  return smallPolicy({
    endMode: rng.pick(END_MODES),
    minRedirects: rng.int(4),
    endableCategories: rng.pick([['abuse'], ['abuse', 'hate'], []]),
    severityThreshold: rng.pick([0.5, 0.7, 0.9]),
    distressThreshold: rng.pick([0.5, 0.8]),
    distressWindow: 1 + rng.int(3),
    warnBeforeEnd: rng.chance(0.5),
    honorUserRequests: rng.chance(0.7),
    confirmUserRequests: rng.chance(0.5),
    protectAtRisk: rng.chance(0.7),
    resetOnBenign: rng.chance(0.5),
  });
}

function randomEvent(rng: Rng, turn: number): ConversationEvent {
  const r = rng.next();
  if (r < 0.45) {
    return user({
      category: rng.pick(['none', 'abuse', 'hate', 'self-harm']),
      severity: rng.pick([0, 0.3, 0.5, 0.7, 0.9, 1]),
      atRisk: rng.chance(0.1),
      requestsEnd: rng.chance(0.1),
    });
  }
  if (r < 0.86) return reply(rng.pick(['engage', 'redirect', 'end'] as const), rng.next(), rng.chance(0.3));
  if (r < 0.92) return askConfirmation(rng.next());
  return edit(rng.int(turn + 2)); // 0 and turn + 1 are invalid and must be ignored
}

describe('conversation statechart, random sequences', () => {
  it(`holds the safety invariants on ${SEQUENCES} seeded random sequences`, () => {
    const rng = createRng('conversation-random-v1');
    const violations = new Map<string, number>();
    const seen = new Map<string, number>();
    const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    for (let sequence = 0; sequence < SEQUENCES; sequence++) {
      const policy = randomPolicy(rng);
      const history = new BranchHistory();
      let [before] = initialTransition(conversationMachine, { policy });
      const length = 4 + rng.int(30);
      for (let step = 0; step < length; step++) {
        const event = randomEvent(rng, before.context.turn);
        const [after] = transition(conversationMachine, before, event);
        for (const problem of stepViolations(policy, before, event, after)) tally(violations, problem);
        for (const problem of history.observe(before, event, after)) tally(violations, problem);
        if (topState(before) !== 'ended' && topState(after) === 'ended') {
          tally(seen, `end ${after.context.end?.initiator}/${after.context.end?.basis}`);
        }
        if (after.context.lastGate.decision === 'vetoed') tally(seen, `veto ${after.context.lastGate.reason}`);
        if (JSON.stringify(after.value) === JSON.stringify({ engaged: 'confirming' })) tally(seen, 'confirming');
        if (event.type === 'MODEL_REPLY' && event.warning === true && before.context.atRisk && before.context.pendingTurn) tally(seen, 'warning at risk');
        if (event.type === 'EDIT') tally(seen, after === before ? 'invalid edit' : 'edit');
        if (topState(before) === 'ended' && event.type === 'USER_MESSAGE') tally(seen, 'blocked');
        before = after;
      }
    }
    expect(Object.fromEntries(violations)).toEqual({});
    for (const expected of [
      'end model/last-resort',
      'end model/user-request',
      'end platform/last-resort',
      'veto user-at-risk',
      'veto end-mode-disallows',
      'veto category-not-endable',
      'veto below-severity-threshold',
      'veto too-few-redirects',
      'veto no-warning',
      'veto user-request-not-honoured',
      'veto user-request-not-confirmed',
      'confirming',
      'warning at risk',
      'edit',
      'invalid edit',
      'blocked',
    ]) {
      expect(seen.get(expected) ?? 0, expected).toBeGreaterThan(10);
    }
  });
});
