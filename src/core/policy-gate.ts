/**
 * The policy gate: may this end attempt go through? (README, "The statechart", and the policy fields.)
 *
 * One exported predicate per policy rule. The statechart's named guards call these predicates and
 * `evaluateEnd` chains them in a fixed order, so the machine and the records can never disagree about a rule.
 * Every predicate answers "does this rule let the end through?" (true = the rule is satisfied).
 * Pure: no I/O, no randomness.
 */
import type { TurnLabels } from './labels.ts';
import type { Policy } from './policy.ts';
import type { EndInitiator, GateDecision, VetoReason } from './conversation-events.ts';

/** What the gate needs to know about the conversation so far (the statechart's context satisfies it). */
export interface GateState {
  /** Failed redirect attempts since the last reset. */
  readonly redirects: number;
  /** The model has warned that it will end the conversation. */
  readonly warned: boolean;
  /** Sticky on the branch: some user turn so far was at risk. */
  readonly atRisk: boolean;
  /** Consecutive model turns with distress at or above the policy's distressThreshold. */
  readonly distressStreak: number;
  /**
   * The model's last reply asked the user to confirm their request to end (confirmUserRequests); the user's next
   * turn is their answer. Absent means no.
   */
  readonly confirmationAsked?: boolean;
}

/** A decision about an actual end attempt: `evaluateEnd` never answers `none`. */
export type EndDecision = Exclude<GateDecision, { readonly decision: 'none' }>;

/** severityThreshold: the turn is harmful or abusive enough to count (at or above the threshold). */
export function isHarmfulTurn(policy: Policy, turn: TurnLabels): boolean {
  return turn.severity >= policy.severityThreshold;
}

/** The user is at risk now or was at any earlier turn of this branch (risk does not wear off within a chat). */
export function isUserAtRisk(state: GateState, turn: TurnLabels): boolean {
  return state.atRisk || turn.atRisk;
}

/**
 * Only benign turns — no harm category — count as the user changing course: abuse below the severity threshold
 * is still abuse, so it neither resets the redirect count nor the model's patience (both read the same count).
 * A heated but legitimate turn (category none) is benign.
 */
export function isBenignTurn(turn: TurnLabels): boolean {
  return turn.category === 'none';
}

/**
 * honorUserRequests (+ confirmUserRequests): the user asked to end and the policy honours that. Only the model acts
 * on a request — the platform ends on distress, never because of what the user typed — so under endMode platform
 * no request is honoured. With confirmUserRequests the request counts only as the answer to the model's question
 * whether the user really wants the (permanent) end.
 */
export function honorsUserRequest(
  policy: Policy,
  state: GateState,
  turn: TurnLabels,
  initiator: EndInitiator,
): boolean {
  return (
    turn.requestsEnd &&
    policy.honorUserRequests &&
    initiator === 'model' &&
    endModeAllows(policy, initiator) &&
    (!policy.confirmUserRequests || state.confirmationAsked === true)
  );
}

/** Why a model's end attempt on the user's request was refused, when the request itself was the reason to end. */
export function requestVetoReason(policy: Policy): VetoReason {
  return policy.honorUserRequests && policy.endMode !== 'platform' && policy.confirmUserRequests
    ? 'user-request-not-confirmed'
    : 'user-request-not-honoured';
}

/**
 * protectAtRisk: an at-risk user is never left alone. With protectAtRisk on, nothing ends on them. With it off,
 * the only end allowed is the user's own honoured request — the model and the platform still never end on an
 * at-risk user of their own accord, so "never ended while at risk unless the user asked and the policy
 * explicitly allows it" holds for every policy.
 */
export function atRiskAllowsEnd(
  policy: Policy,
  state: GateState,
  turn: TurnLabels,
  initiator: EndInitiator,
): boolean {
  if (!isUserAtRisk(state, turn)) return true;
  return !policy.protectAtRisk && honorsUserRequest(policy, state, turn, initiator);
}

/** endMode: model mode lets only the model end, platform mode only the platform, hybrid both. */
export function endModeAllows(policy: Policy, initiator: EndInitiator): boolean {
  return initiator === 'model' ? policy.endMode !== 'platform' : policy.endMode !== 'model';
}

/** endableCategories: the turn's harm category is one in which a last-resort end is allowed. */
export function isEndableCategory(policy: Policy, turn: TurnLabels): boolean {
  return policy.endableCategories.includes(turn.category);
}

/** minRedirects: enough redirect attempts have failed (the user carried on after each). */
export function hasEnoughRedirects(policy: Policy, state: GateState): boolean {
  return state.redirects >= policy.minRedirects;
}

/**
 * warnBeforeEnd: when the policy asks for it, the model has warned before ending. It binds the model only: a
 * platform end is a system action that does not wait on the model's words (otherwise a hybrid platform could only
 * ever end after the model had already chosen to warn, and its distress threshold would never matter).
 */
export function hasRequiredWarning(policy: Policy, state: GateState, initiator: EndInitiator = 'model'): boolean {
  return initiator === 'platform' || !policy.warnBeforeEnd || state.warned;
}

/** distressThreshold: the streak after one more model turn with this distress value. */
export function nextDistressStreak(policy: Policy, streak: number, distress: number): number {
  return distress >= policy.distressThreshold ? streak + 1 : 0;
}

/**
 * distressThreshold + distressWindow: in platform or hybrid mode, distress has stayed at or above the threshold
 * for `distressWindow` consecutive model turns, so the platform considers ending (still under the gate).
 */
export function isPlatformDistressSustained(policy: Policy, distressStreak: number): boolean {
  return policy.endMode !== 'model' && distressStreak >= policy.distressWindow;
}

/** resetOnBenign: this user turn is benign and the policy wipes the redirect count (and warning) on one. */
export function resetsOnBenign(policy: Policy, turn: TurnLabels): boolean {
  return policy.resetOnBenign && isBenignTurn(turn);
}

/**
 * Decide one end attempt. The rules run in a fixed order and the first one that fails is the veto reason:
 * user-at-risk, then an honoured user request (permitted), then end-mode-disallows, category-not-endable,
 * below-severity-threshold, too-few-redirects, no-warning (the model only); if all pass, the end is permitted as a last resort.
 * A model end on a user's request that the policy does not honour (or that waits for the user's confirmation), and
 * that is no last resort either, is vetoed with the request's own reason: the user asked, and the rule said no.
 *
 * @example
 * evaluateEnd(DEFAULT_POLICY, { redirects: 0, warned: false, atRisk: false, distressStreak: 0 },
 *   { category: 'none', severity: 0, atRisk: false, requestsEnd: true }, 'model')
 * // → { decision: 'permitted', initiator: 'model', basis: 'user-request' }
 */
export function evaluateEnd(
  policy: Policy,
  state: GateState,
  turn: TurnLabels,
  initiator: EndInitiator,
): EndDecision {
  const veto = (reason: VetoReason): EndDecision => ({ decision: 'vetoed', initiator, reason });
  if (!atRiskAllowsEnd(policy, state, turn, initiator)) return veto('user-at-risk');
  if (honorsUserRequest(policy, state, turn, initiator)) return { decision: 'permitted', initiator, basis: 'user-request' };
  const lastResortVeto = lastResortFailure(policy, state, turn, initiator);
  if (lastResortVeto === null) return { decision: 'permitted', initiator, basis: 'last-resort' };
  return veto(turn.requestsEnd && initiator === 'model' ? requestVetoReason(policy) : lastResortVeto);
}

/** The first last-resort rule that fails, or null when the end is a permitted last resort. */
function lastResortFailure(policy: Policy, state: GateState, turn: TurnLabels, initiator: EndInitiator): VetoReason | null {
  if (!endModeAllows(policy, initiator)) return 'end-mode-disallows';
  if (!isEndableCategory(policy, turn)) return 'category-not-endable';
  if (!isHarmfulTurn(policy, turn)) return 'below-severity-threshold';
  if (!hasEnoughRedirects(policy, state)) return 'too-few-redirects';
  if (!hasRequiredWarning(policy, state, initiator)) return 'no-warning';
  return null;
}
