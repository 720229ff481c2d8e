/**
 * The chart's composed guards (and/or/not over the rule guards) agree with `evaluateEnd` on every combination of
 * policy rules, gate state and user turn, for the model and for the platform: the same end or no end, the same
 * basis, and the recorded decision is exactly evaluateEnd's.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { conversationMachine, topState } from '../../machines/conversation.ts';
import { initialContext } from '../../machines/conversation-context.ts';
import type { TurnLabels } from '../../src/core/labels.ts';
import { evaluateEnd, type GateState } from '../../src/core/policy-gate.ts';
import { END_MODES, type Policy } from '../../src/core/policy.ts';
import { reply, smallPolicy } from './conversation-fixtures.ts';

const bools = [false, true] as const;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function* policies(): Generator<Policy> {
  for (const endMode of END_MODES)
    for (const minRedirects of [0, 1, 2])
      for (const protectAtRisk of bools)
        for (const honorUserRequests of bools)
          for (const confirmUserRequests of bools)
            for (const warnBeforeEnd of bools)
              yield smallPolicy({ endMode, minRedirects, protectAtRisk, honorUserRequests, confirmUserRequests, warnBeforeEnd, distressWindow: 2 });
}

type TestedState = Omit<GateState, 'distressStreak' | 'confirmationAsked'> & { readonly confirmationAsked: boolean };

function* gateStates(): Generator<TestedState> {
  for (const redirects of [0, 1, 2])
    for (const warned of bools)
      for (const atRisk of bools) for (const confirmationAsked of bools) yield { redirects, warned, atRisk, confirmationAsked };
}

function* turns(): Generator<TurnLabels> {
  for (const category of ['abuse', 'hate'])
    for (const severity of [0.5, 0.7, 0.9])
      for (const atRisk of bools) for (const requestsEnd of bools) yield { category, severity, atRisk, requestsEnd };
}

/** The machine at `redirecting.active` with this gate state, the user turn pending, one reply from the window. */
function snapshotAt(policy: Policy, state: TestedState, turn: TurnLabels) {
  return conversationMachine.resolveState({
    value: state.confirmationAsked ? { engaged: 'confirming' } : { redirecting: 'active' },
    context: {
      ...initialContext(policy),
      ...state,
      atRisk: state.atRisk || turn.atRisk, // as USER_MESSAGE leaves it
      distressStreak: policy.distressWindow - 1,
      turn: 1,
      pendingTurn: turn,
    },
  });
}

describe('composed guards agree with evaluateEnd', () => {
  it('on every combination of policy, gate state and turn, for both initiators', () => {
    let combinations = 0;
    const outcomes = new Set<string>();
    const mismatches: unknown[] = [];
    for (const policy of policies())
      for (const state of gateStates())
        for (const turn of turns()) {
          const before = snapshotAt(policy, state, turn);
          const gateState: GateState = { ...before.context };
          // The model tries to end; low distress keeps the platform out of it.
          const [afterModel] = transition(conversationMachine, before, reply('end', 0));
          const model = evaluateEnd(policy, gateState, turn, 'model');
          const expectedEnd =
            model.decision === 'permitted' ? { initiator: 'model', basis: model.basis, turn: 1, redirects: state.redirects } : null;
          if (!same(afterModel.context.lastGate, model) || !same(afterModel.context.end, expectedEnd)) {
            mismatches.push({ policy, state, turn, initiator: 'model', chart: afterModel.context.lastGate, gate: model });
          }
          // The model engages while distress completes the window: only the platform can end.
          const [afterPlatform] = transition(conversationMachine, before, reply('engage', 1));
          const platform = policy.endMode === 'model' ? { decision: 'none' } : evaluateEnd(policy, gateState, turn, 'platform');
          const platformEnded = topState(afterPlatform) === 'ended';
          if (!same(afterPlatform.context.lastGate, platform) || platformEnded !== (platform.decision === 'permitted')) {
            mismatches.push({ policy, state, turn, initiator: 'platform', chart: afterPlatform.context.lastGate, gate: platform });
          }
          outcomes.add(JSON.stringify(model)).add(JSON.stringify(platform));
          combinations++;
        }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(combinations).toBe(144 * 24 * 24);
    // Every veto reason and both bases come up for the model; the platform adds its own vetoes except no-warning
    // and the two reasons of a refused user request (the platform never acts on one).
    expect(outcomes.size).toBe(16);
  });
});

