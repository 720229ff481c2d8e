/**
 * Named guards of the conversation statechart. The policy rules are thin wrappers over the predicates in
 * src/core/policy-gate.ts — the same functions `evaluateEnd` chains — so the chart and the recorded gate decision
 * share one source of truth. The chart composes them with xstate's `and`/`or`/`not`.
 *
 * A MODEL_REPLY judges the pending user turn against the context as it was before the reply: the redirect and
 * the warning in this very reply have not failed yet (the user has not answered them), so they do not count
 * towards this turn's end — for the model or for the platform.
 */
import {
  atRiskAllowsEnd,
  endModeAllows,
  hasEnoughRedirects,
  hasRequiredWarning,
  honorsUserRequest,
  isEndableCategory,
  isHarmfulTurn,
  isPlatformDistressSustained,
  nextDistressStreak,
  resetsOnBenign,
} from '../src/core/policy-gate.ts';
import type { ConversationEvent, EndInitiator } from '../src/core/conversation-events.ts';
import { BENIGN_LABELS, type TurnLabels } from '../src/core/labels.ts';
import type { ConversationContext } from './conversation-context.ts';

export interface GuardArgs {
  readonly context: ConversationContext;
  readonly event: ConversationEvent;
}
export interface InitiatorParams {
  readonly initiator: EndInitiator;
}

/**
 * The user turn a MODEL_REPLY answers. Reply transitions are ordered after the one that ignores a reply with no
 * pending turn, so the benign fallback is never judged; it only keeps the guards total.
 */
function judgedTurn(context: ConversationContext): TurnLabels {
  return context.pendingTurn ?? BENIGN_LABELS;
}

export const conversationGuards = {
  // --- the policy rules (true = the rule lets the end through) ---
  protectAtRisk: ({ context }: GuardArgs, { initiator }: InitiatorParams): boolean =>
    atRiskAllowsEnd(context.policy, context, judgedTurn(context), initiator),
  honorUserRequests: ({ context }: GuardArgs): boolean =>
    honorsUserRequest(context.policy, context, judgedTurn(context), 'model'),
  /** The policy wants requests confirmed and the model asks (the statechart's `engaged.confirming`). */
  confirmUserRequests: ({ context, event }: GuardArgs): boolean =>
    context.policy.confirmUserRequests && event.type === 'MODEL_REPLY' && event.asksConfirmation === true && event.action !== 'end',
  endMode: ({ context }: GuardArgs, { initiator }: InitiatorParams): boolean =>
    endModeAllows(context.policy, initiator),
  endableCategories: ({ context }: GuardArgs): boolean => isEndableCategory(context.policy, judgedTurn(context)),
  /** Also decides where a vetoed end leaves the chart: a harmful line keeps it redirecting. */
  severityThreshold: ({ context }: GuardArgs): boolean => isHarmfulTurn(context.policy, judgedTurn(context)),
  minRedirects: ({ context }: GuardArgs): boolean => hasEnoughRedirects(context.policy, context),
  warnBeforeEnd: ({ context }: GuardArgs): boolean => hasRequiredWarning(context.policy, context),
  /** Counts this reply's distress into the streak before testing the window. */
  platformDistressSustained: ({ context, event }: GuardArgs): boolean =>
    event.type === 'MODEL_REPLY' &&
    isPlatformDistressSustained(
      context.policy,
      nextDistressStreak(context.policy, context.distressStreak, event.signals.distress.value),
    ),
  resetOnBenign: ({ context, event }: GuardArgs): boolean =>
    event.type === 'USER_MESSAGE' && resetsOnBenign(context.policy, event.turn),

  // --- bookkeeping ---
  hasPendingTurn: ({ context }: GuardArgs): boolean => context.pendingTurn !== null,
  modelTriesToEnd: ({ event }: GuardArgs): boolean => event.type === 'MODEL_REPLY' && event.action === 'end',
  modelRedirects: ({ event }: GuardArgs): boolean => event.type === 'MODEL_REPLY' && event.action === 'redirect',
  /** After this reply the model has warned (earlier, or with a warning on this redirect). */
  warnedAfterReply: ({ context, event }: GuardArgs): boolean =>
    context.warned ||
    (event.type === 'MODEL_REPLY' && event.action === 'redirect' && event.warning === true && !context.atRisk),
  /** The (possibly restored) warning still stands when the next user turn arrives. */
  hasWarned: ({ context }: GuardArgs): boolean => context.warned,
  /** Only a turn that exists on the current branch can be edited; anything else is ignored. */
  editTurnValid: ({ context, event }: GuardArgs): boolean =>
    event.type === 'EDIT' && Number.isInteger(event.atTurn) && event.atTurn >= 1 && event.atTurn <= context.turn,
  editRestoresRedirecting: ({ context, event }: GuardArgs): boolean =>
    event.type === 'EDIT' && context.checkpoints[event.atTurn - 1]?.state === 'redirecting',
};
