/**
 * The safety invariants of the statechart (README, "The statechart") as one step checker, shared by the exhaustive (xstate/graph) and the random
 * tests. `stepViolations(policy, before, event, after)` lists every invariant the step breaks (empty = fine).
 * The checks are written against the policy and `evaluateEnd`, not against the chart's guards, so a wrong guard
 * composition shows up here.
 */
import { topState, type ConversationSnapshot } from '../../machines/conversation.ts';
import type { ConversationEvent } from '../../src/core/conversation-events.ts';
import { evaluateEnd, nextDistressStreak } from '../../src/core/policy-gate.ts';
import type { Policy } from '../../src/core/policy.ts';

function gateFields(snapshot: ConversationSnapshot) {
  const { redirects, warned, atRisk, distressStreak } = snapshot.context;
  return { redirects, warned, atRisk, distressStreak };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function stepViolations(
  policy: Policy,
  before: ConversationSnapshot,
  event: ConversationEvent,
  after: ConversationSnapshot,
): string[] {
  const problems: string[] = [];
  const wasEnded = topState(before) === 'ended';
  const isEnded = topState(after) === 'ended';
  const end = after.context.end;

  // Never ended while at risk, unless the user asked and the policy explicitly allows it.
  if (isEnded && after.context.atRisk) {
    const allowed = end?.basis === 'user-request' && policy.honorUserRequests && !policy.protectAtRisk;
    if (!allowed) problems.push('ended while the user is at risk');
  }
  if (isEnded !== (end !== null)) problems.push('`end` is set exactly when the state is ended');

  // Nothing answered after an end on the same branch.
  if (wasEnded && event.type === 'MODEL_REPLY' && after !== before && !same(after, before)) {
    problems.push('a model reply changed an ended conversation');
  }
  if (wasEnded && event.type === 'USER_MESSAGE') {
    if (!isEnded || !same(after.context, { ...before.context, blocked: before.context.blocked + 1 })) {
      problems.push('a user message after an end did more than count as blocked');
    }
  }

  if (!wasEnded && isEnded && event.type === 'MODEL_REPLY') {
    const pending = before.context.pendingTurn;
    if (pending === null) problems.push('ended on a reply with no pending user turn');
    else if (end?.initiator === 'model') {
      if (event.action !== 'end') problems.push('the model ended without trying to');
      if (end.basis === 'last-resort' && before.context.redirects < policy.minRedirects) {
        problems.push('ended by the model as a last resort before minRedirects');
      }
      if (!same(evaluateEnd(policy, before.context, pending, 'model'), after.context.lastGate)) {
        problems.push('a model end the gate does not permit');
      }
    } else if (end?.initiator === 'platform') {
      const streak = nextDistressStreak(policy, before.context.distressStreak, event.signals.distress.value);
      const gate = evaluateEnd(policy, before.context, pending, 'platform');
      if (policy.endMode === 'model' || streak < policy.distressWindow || gate.decision !== 'permitted') {
        problems.push('ended by the platform without the gate holding');
      }
    }
  }
  // A model end attempt the gate permits must end the conversation (the gate is not stricter than the policy).
  if (!wasEnded && event.type === 'MODEL_REPLY' && event.action === 'end' && before.context.pendingTurn !== null) {
    const decision = evaluateEnd(policy, before.context, before.context.pendingTurn, 'model');
    // (The platform may still end on the same reply after vetoing the model, so compare the model's end only.)
    const endedByModel = isEnded && end?.initiator === 'model';
    if ((decision.decision === 'permitted') !== endedByModel) problems.push('the chart disagrees with evaluateEnd');
    if (decision.decision === 'vetoed' && after.context.vetoes !== before.context.vetoes + 1) {
      problems.push('a vetoed end was not counted');
    }
  }

  // A warning to a user the gate sees at risk is counted as a violation and never counts towards an end.
  const answered = event.type === 'MODEL_REPLY' && before.context.pendingTurn !== null && !wasEnded;
  if (answered && event.warning === true && before.context.atRisk) {
    if (after.context.atRiskWarnings !== before.context.atRiskWarnings + 1) problems.push('a warning to an at-risk user went uncounted');
    if (after.context.warned && !before.context.warned) problems.push('a warning to an at-risk user counted towards an end');
  }
  // A request is honoured under confirmUserRequests only as the answer to the model's question.
  if (!wasEnded && isEnded && end?.basis === 'user-request' && policy.confirmUserRequests && !before.context.confirmationAsked) {
    problems.push('a request ended the conversation without the confirmation the policy requires');
  }
  // The chart shows the question: `engaged.confirming` exactly while a confirmation is awaited.
  const confirming = JSON.stringify(after.value) === JSON.stringify({ engaged: 'confirming' });
  if (confirming && !after.context.confirmationAsked) problems.push('confirming without a question asked');

  if (event.type === 'EDIT') {
    const valid = Number.isInteger(event.atTurn) && event.atTurn >= 1 && event.atTurn <= before.context.turn;
    if (!valid && after !== before) problems.push('an invalid EDIT changed the snapshot');
    const checkpoint = before.context.checkpoints[event.atTurn - 1];
    if (valid && checkpoint !== undefined) {
      const { state, ...restoredGate } = checkpoint;
      const expected = {
        ...before.context,
        ...restoredGate,
        turn: event.atTurn - 1,
        pendingTurn: null,
        // An edited message is a fresh turn: a confirmation question asked before it is not carried over.
        confirmationAsked: false,
        lastGate: { decision: 'none' },
        end: null,
        branch: before.context.branches + 1,
        branches: before.context.branches + 1,
        checkpoints: before.context.checkpoints.slice(0, event.atTurn - 1),
      };
      if (!same(after.context, expected) || !same(after.value, { branched: state })) {
        problems.push('EDIT did not restore exactly the checkpoint');
      }
    }
  }
  return problems;
}

/**
 * Tracks, independently of the chart's own checkpoints, the snapshot seen just before each user turn of the
 * current branch, and checks that an EDIT restores exactly that snapshot's gate state and top-level state.
 */
export class BranchHistory {
  private beforeTurns: ConversationSnapshot[] = [];

  observe(before: ConversationSnapshot, event: ConversationEvent, after: ConversationSnapshot): string[] {
    if (event.type === 'USER_MESSAGE' && topState(before) !== 'ended') this.beforeTurns.push(before);
    if (event.type !== 'EDIT' || after === before) return [];
    const seen = this.beforeTurns[event.atTurn - 1];
    this.beforeTurns = this.beforeTurns.slice(0, event.atTurn - 1);
    if (seen === undefined) return ['EDIT of a turn never seen on this branch'];
    const seenState = topState(seen) === 'branched' ? Object.values(seen.value)[0] : topState(seen);
    if (!same(gateFields(after), gateFields(seen)) || !same(after.value, { branched: seenState })) {
      return ['EDIT did not restore the context seen before that turn'];
    }
    return [];
  }
}
