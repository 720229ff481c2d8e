/**
 * Building blocks for the statechart tests: representative user turns and model replies, small policies, and a
 * helper that runs events through the pure `transition` function.
 */
import { initialTransition, transition } from 'xstate';
import { conversationMachine, type ConversationSnapshot } from '../../machines/conversation.ts';
import type { ConversationEvent, ModelAction } from '../../src/core/conversation-events.ts';
import type { TurnLabels } from '../../src/core/labels.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/core/policy.ts';
import type { ModelSignals } from '../../src/core/signals.ts';

export const BENIGN: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: false };
/** Harmful and endable under DEFAULT_POLICY (abuse, severity 0.9 >= 0.7). */
export const ABUSE: TurnLabels = { category: 'abuse', severity: 0.9, atRisk: false, requestsEnd: false };
/** Harmful but not endable: hate is not in the default endableCategories. */
export const HATE: TurnLabels = { category: 'hate', severity: 0.9, atRisk: false, requestsEnd: false };
/** An at-risk user who is also abusive. */
export const AT_RISK_ABUSE: TurnLabels = { category: 'abuse', severity: 0.9, atRisk: true, requestsEnd: false };
export const ASKS_TO_END: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: true };
export const AT_RISK_ASKS_TO_END: TurnLabels = { category: 'self-harm', severity: 0.5, atRisk: true, requestsEnd: true };

export function signals(distress: number): ModelSignals {
  return {
    distress: { value: distress, source: 'simulated' },
    preference: { choice: distress >= 0.5 ? 'end' : 'continue', strength: distress, source: 'simulated' },
  };
}

export const user = (turn: TurnLabels): ConversationEvent => ({ type: 'USER_MESSAGE', turn });
export const reply = (action: ModelAction, distress = 0.1, warning = false): ConversationEvent => ({
  type: 'MODEL_REPLY',
  action,
  signals: signals(distress),
  ...(warning ? { warning: true } : {}),
});
/** The model asks the user to confirm their request to end (an engage that asks; confirmUserRequests). */
export const askConfirmation = (distress = 0.1): ConversationEvent => ({
  type: 'MODEL_REPLY',
  action: 'engage',
  asksConfirmation: true,
  signals: signals(distress),
});
export const edit = (atTurn: number): ConversationEvent => ({ type: 'EDIT', atTurn });

/** A small policy: every rule in play, thresholds low enough that short paths reach every state. */
export function smallPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    ...DEFAULT_POLICY,
    name: 'test',
    minRedirects: 1,
    distressThreshold: 0.8,
    distressWindow: 1,
    ...overrides,
  };
}

/** Runs events through the pure transition function and returns every snapshot (index 0 = initial). */
export function runEvents(policy: Policy, events: readonly ConversationEvent[]): ConversationSnapshot[] {
  let [snapshot] = initialTransition(conversationMachine, { policy });
  const snapshots = [snapshot];
  for (const event of events) {
    [snapshot] = transition(conversationMachine, snapshot, event);
    snapshots.push(snapshot);
  }
  return snapshots;
}

export function finalSnapshot(policy: Policy, events: readonly ConversationEvent[]): ConversationSnapshot {
  const snapshots = runEvents(policy, events);
  return snapshots[snapshots.length - 1] as ConversationSnapshot;
}
