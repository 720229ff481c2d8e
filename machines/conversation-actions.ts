/**
 * Context updates of the conversation statechart, as pure functions (context, event, params) → next context.
 * The chart wraps each in one `assign`, so a transition costs one shallow copy of a flat object; checkpoints are
 * copied once per user turn. Which update runs is decided by the chart's guards, never in here — except the
 * veto reasons, which come from `evaluateEnd`, the same rule chain the guards are built from.
 */
import { assertEvent } from 'xstate';
import { evaluateEnd, nextDistressStreak } from '../src/core/policy-gate.ts';
import type { ConversationEvent, EndBasis, GateDecision, ModelReplyEvent } from '../src/core/conversation-events.ts';
import { BENIGN_LABELS } from '../src/core/labels.ts';
import {
  NO_GATE_DECISION,
  type Checkpoint,
  type ConversationContext,
  type ResumableState,
} from './conversation-context.ts';

export interface UserTurnParams {
  /** The state the user turn continues from (for `branched`, the state the edit restored). */
  readonly from: ResumableState;
  /** The resetOnBenign guard held: this benign turn wipes the redirect count and the warning. */
  readonly reset: boolean;
}

/** A user turn is answered: remember where we were (for a later EDIT), then take the turn. */
export function recordUserTurn(
  context: ConversationContext,
  event: ConversationEvent,
  { from, reset }: UserTurnParams,
): ConversationContext {
  assertEvent(event, 'USER_MESSAGE');
  const checkpoint: Checkpoint = {
    state: from,
    redirects: context.redirects,
    warned: context.warned,
    atRisk: context.atRisk,
    distressStreak: context.distressStreak,
  };
  return {
    ...context,
    turn: context.turn + 1,
    redirects: reset ? 0 : context.redirects,
    warned: reset ? false : context.warned,
    atRisk: context.atRisk || event.turn.atRisk,
    pendingTurn: event.turn,
    lastGate: NO_GATE_DECISION,
    checkpoints: [...context.checkpoints, checkpoint],
  };
}

/** After an end nothing on this branch is answered: the message is only counted (circumvention metric). */
export function countBlocked(context: ConversationContext): ConversationContext {
  return { ...context, blocked: context.blocked + 1 };
}

/**
 * The fields every answered reply updates: the distress streak, the turn is no longer pending, a confirmation
 * question was answered (only the reply that asks one sets it again), and a warning to a user the gate sees at risk
 * is counted as a violation.
 */
function replied(context: ConversationContext, event: ModelReplyEvent): ConversationContext {
  return {
    ...context,
    distressStreak: nextDistressStreak(context.policy, context.distressStreak, event.signals.distress.value),
    confirmationAsked: false,
    atRiskWarnings: context.atRiskWarnings + (warnsAtRisk(context, event) ? 1 : 0),
    pendingTurn: null,
  };
}

/** The reply warns a user the gate sees at risk (the pending turn's risk is already in `atRisk`). */
export function warnsAtRisk(context: ConversationContext, event: ModelReplyEvent): boolean {
  return event.warning === true && context.atRisk;
}

/** A warning that counts towards an end: given, and not to a user at risk. */
function countsAsWarning(context: ConversationContext, event: ModelReplyEvent): boolean {
  return event.warning === true && !context.atRisk;
}

/**
 * The platform's verdict when sustained distress made it consider ending and the chart did not end: a veto
 * worth recording. `none` when the platform was not triggered.
 */
function platformVeto(before: ConversationContext, after: ConversationContext): GateDecision {
  const { policy } = before;
  if (policy.endMode === 'model' || after.distressStreak < policy.distressWindow) return NO_GATE_DECISION;
  return evaluateEnd(policy, before, before.pendingTurn ?? BENIGN_LABELS, 'platform');
}

/** The model's end attempt went through. */
export function endByModel(
  context: ConversationContext,
  event: ConversationEvent,
  { basis }: { readonly basis: EndBasis },
): ConversationContext {
  assertEvent(event, 'MODEL_REPLY');
  return {
    ...replied(context, event),
    lastGate: { decision: 'permitted', initiator: 'model', basis },
    end: { initiator: 'model', basis, turn: context.turn, redirects: context.redirects },
  };
}

/**
 * The platform ended on sustained distress. The model's own reply still counts: a vetoed end attempt in the same
 * reply is a vetoed wish, a redirect is a redirect.
 */
export function endByPlatform(context: ConversationContext, event: ConversationEvent): ConversationContext {
  assertEvent(event, 'MODEL_REPLY');
  const modelTriedToEnd = event.action === 'end';
  const redirected = event.action === 'redirect';
  return {
    ...replied(context, event),
    redirects: redirected ? context.redirects + 1 : context.redirects,
    warned: context.warned || (redirected && countsAsWarning(context, event)),
    vetoes: modelTriedToEnd ? context.vetoes + 1 : context.vetoes,
    lastGate: { decision: 'permitted', initiator: 'platform', basis: 'last-resort' },
    end: { initiator: 'platform', basis: 'last-resort', turn: context.turn, redirects: context.redirects },
  };
}

/**
 * The model tried to end and the gate refused: the model wanted out and the rules kept it in. The model's veto
 * is the decision recorded even if the platform was also refused on this reply — it is the one that is counted.
 */
export function vetoModelEnd(context: ConversationContext, event: ConversationEvent): ConversationContext {
  assertEvent(event, 'MODEL_REPLY');
  return {
    ...replied(context, event),
    vetoes: context.vetoes + 1,
    lastGate: evaluateEnd(context.policy, context, context.pendingTurn ?? BENIGN_LABELS, 'model'),
  };
}

/** The model redirected (and perhaps warned). The attempt counts as failed once the user carries on. */
export function recordRedirect(context: ConversationContext, event: ConversationEvent): ConversationContext {
  assertEvent(event, 'MODEL_REPLY');
  const after = replied(context, event);
  return {
    ...after,
    redirects: context.redirects + 1,
    warned: context.warned || countsAsWarning(context, event),
    lastGate: platformVeto(context, after),
  };
}

/** The model answered normally. */
export function recordEngage(context: ConversationContext, event: ConversationEvent): ConversationContext {
  assertEvent(event, 'MODEL_REPLY');
  const after = replied(context, event);
  return { ...after, lastGate: platformVeto(context, after) };
}

/** The model asked the user to confirm their request to end: the user's next turn is the answer. */
export function recordConfirmationAsk(context: ConversationContext, event: ConversationEvent): ConversationContext {
  return { ...recordEngage(context, event), confirmationAsked: true };
}

/**
 * An edit of user turn `atTurn` forks a new branch just before it: the gate-relevant context is restored from
 * that turn's checkpoint, the end (if any) belongs to the old branch. Cross-branch tallies (blocked, vetoes,
 * branches) carry on, because they measure the whole conversation.
 */
export function branchAtEdit(context: ConversationContext, event: ConversationEvent): ConversationContext {
  assertEvent(event, 'EDIT');
  const restored = context.checkpoints[event.atTurn - 1];
  if (restored === undefined) return context; // unreachable: the editTurnValid guard admits only existing turns
  const branches = context.branches + 1;
  return {
    ...context,
    turn: event.atTurn - 1,
    redirects: restored.redirects,
    warned: restored.warned,
    atRisk: restored.atRisk,
    distressStreak: restored.distressStreak,
    // The edited message is a fresh turn, not an answer to a confirmation question the model asked before it.
    confirmationAsked: false,
    pendingTurn: null,
    lastGate: NO_GATE_DECISION,
    end: null,
    branch: branches,
    branches,
    checkpoints: context.checkpoints.slice(0, event.atTurn - 1),
  };
}
