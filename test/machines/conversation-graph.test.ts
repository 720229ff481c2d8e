/**
 * Model-based tests with xstate/graph: every transition of the chart is taken, and the safety invariants hold on
 * every simple path. The event lists are explicit and finite; the state serializers cap the growing counters so
 * the graphs are finite.
 */
import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, transition, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { createTestModel, getAdjacencyMap, getSimplePaths } from 'xstate/graph';
import { conversationMachine, topState, type ConversationSnapshot } from '../../machines/conversation.ts';
import type { ConversationEvent } from '../../src/core/conversation-events.ts';
import type { Policy } from '../../src/core/policy.ts';
import {
  ABUSE,
  ASKS_TO_END,
  AT_RISK_ABUSE,
  AT_RISK_ASKS_TO_END,
  BENIGN,
  HATE,
  askConfirmation,
  edit,
  reply,
  smallPolicy,
  user,
} from './conversation-fixtures.ts';
import { stepViolations } from './conversation-invariants.ts';

/** Fine-grained: enough labels and replies that every guard can go both ways. */
const COVERAGE_EVENTS: ConversationEvent[] = [
  user(BENIGN), user(ABUSE), user(HATE), user(AT_RISK_ABUSE), user(ASKS_TO_END), user(AT_RISK_ASKS_TO_END),
  reply('engage', 0.1), reply('engage', 0.9), reply('redirect', 0.1), reply('redirect', 0.9, true),
  reply('end', 0.1), reply('end', 0.9), askConfirmation(), edit(1), edit(2),
];

/** Smaller, for simple paths (their number grows exponentially with the branching). */
const PATH_EVENTS: ConversationEvent[] = [
  user(BENIGN), user(ABUSE), user(AT_RISK_ABUSE), user(ASKS_TO_END),
  reply('redirect', 0.9, true), reply('end', 0.9), edit(1),
];

// Hybrid: both the model and the platform can end, so one policy reaches every transition.
// With confirmUserRequests a request is honoured only from `engaged.confirming`, so the chart's request end from
// `redirecting` needs a policy without it.
const COVERAGE_POLICIES: Policy[] = [
  smallPolicy({ endMode: 'hybrid', confirmUserRequests: true }),
  smallPolicy({ endMode: 'hybrid' }),
];

const PATH_POLICIES: Policy[] = [
  smallPolicy(),
  smallPolicy({ endMode: 'hybrid', protectAtRisk: false, warnBeforeEnd: false }),
  smallPolicy({ endMode: 'platform', resetOnBenign: false }),
  smallPolicy({ honorUserRequests: false, minRedirects: 2 }),
];

/** Everything the chart's behaviour depends on, counters capped at the policy's thresholds. */
function fineKey(policy: Policy) {
  return (snapshot: ConversationSnapshot): string => {
    const c = snapshot.context;
    return JSON.stringify([
      snapshot.value,
      Math.min(c.turn, 2), // only EDITs at turns 1 and 2 are sent: a turn beyond 2 changes nothing
      Math.min(c.redirects, policy.minRedirects),
      c.warned,
      c.atRisk,
      c.confirmationAsked,
      Math.min(c.distressStreak, policy.distressWindow),
      c.pendingTurn,
      c.checkpoints[0] ?? null,
      c.checkpoints[1] ?? null,
    ]);
  };
}

/** Coarse, for simple paths: the state and the gate's inputs. */
function coarseKey(policy: Policy) {
  return (snapshot: ConversationSnapshot): string => {
    const c = snapshot.context;
    const pending = c.pendingTurn !== null;
    return JSON.stringify([snapshot.value, Math.min(c.redirects, policy.minRedirects), c.warned, c.atRisk, c.confirmationAsked, pending]);
  };
}

function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  const own = [...node.transitions.values()].flat().concat(node.always ?? []);
  return own.concat(Object.values(node.states).flatMap((child) => allTransitions(child)));
}

function describeTransition(t: AnyTransitionDefinition): string {
  const targets = (t.target ?? []).map((n) => n.id).join(',') || '(self)';
  return `${t.source.id} --${t.eventType}--> ${targets} [${JSON.stringify(t.guard ?? null)}]`;
}

describe('conversation statechart, model-based', () => {
  it('takes every transition of the chart on some path', () => {
    const chart = allTransitions(conversationMachine.root);
    expect(chart.length).toBe(34);
    const taken = new Set<AnyTransitionDefinition>();
    for (const policy of COVERAGE_POLICIES) {
      const adjacency = getAdjacencyMap(conversationMachine, {
        events: COVERAGE_EVENTS,
        serializeState: fineKey(policy),
        input: { policy },
      });
      // Every reachable state, every event: observe through the inspect API which transitions fire.
      for (const { state } of Object.values(adjacency)) {
        for (const event of COVERAGE_EVENTS) {
          const actor = createActor(conversationMachine, {
            input: { policy },
            snapshot: state,
            inspect: (inspection) => {
              if (inspection.type === '@xstate.microstep') for (const t of inspection._transitions) taken.add(t);
            },
          }).start();
          actor.send(event);
          actor.stop();
        }
      }
    }
    const missed = chart.filter((t) => !taken.has(t)).map(describeTransition);
    expect(missed).toEqual([]);
  });

  it.each(PATH_POLICIES.map((policy, i) => [i, policy] as const))(
    'holds the safety invariants on every simple path (policy %i)',
    (_index, policy) => {
      const paths = getSimplePaths(conversationMachine, {
        events: PATH_EVENTS,
        serializeState: coarseKey(policy),
        input: { policy },
      });
      expect(paths.length).toBeGreaterThan(1000);
      const violations = new Set<string>();
      const endedBy = new Set<string>();
      // A path's steps hold each vertex's first-seen snapshot (the key merges counters), so replay its events to
      // check the real snapshots. Paths share prefixes: each distinct prefix is replayed and checked once.
      const [initial] = initialTransition(conversationMachine, { policy });
      const replayed = new Map<string, ConversationSnapshot>([['', initial]]);
      for (const path of paths) {
        let key = '';
        let before = initial;
        for (const { event } of path.steps.slice(1)) {
          key += `${PATH_EVENTS.indexOf(event)},`;
          let after = replayed.get(key);
          if (after === undefined) {
            [after] = transition(conversationMachine, before, event);
            replayed.set(key, after);
            for (const problem of stepViolations(policy, before, event, after)) violations.add(problem);
            if (topState(after) === 'ended') endedBy.add(`${after.context.end?.initiator}/${after.context.end?.basis}`);
          }
          before = after;
        }
      }
      expect([...violations]).toEqual([]);
      expect(endedBy.size).toBeGreaterThan(0); // the paths do reach ends: the invariants were exercised
    },
    // CPU-bound, not waiting on anything: policy 2 enumerates and replays about 132,000 paths (about 30 s idle),
    // and took 122 s with the machine's 2 cores loaded seven times over, past the suite's 120 s default.
    600_000,
  );

  it('a live actor driven along every shortest path lands in the state the graph predicts', async () => {
    const policy = COVERAGE_POLICIES[0]!;
    const model = createTestModel(conversationMachine, {
      events: COVERAGE_EVENTS,
      serializeState: fineKey(policy),
      input: { policy },
    });
    const paths = model.getShortestPaths();
    expect(paths.length).toBeGreaterThan(50);
    for (const path of paths) {
      const actor = createActor(conversationMachine, { input: { policy } }).start();
      // The executor's step is typed by event type only; the step carries the full event from COVERAGE_EVENTS.
      const send = ({ event }: { event: { type: string } }) => actor.send(event as ConversationEvent);
      await path.test({ events: { USER_MESSAGE: send, MODEL_REPLY: send, EDIT: send } });
      // The vertex snapshot is the first one seen for its key; the actor must land on the same key.
      expect(fineKey(policy)(actor.getSnapshot())).toBe(fineKey(policy)(path.state));
      actor.stop();
    }
  });
});
