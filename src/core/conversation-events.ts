/**
 * The events the conversation statechart accepts (README, "The statechart"). The runner sends them; the
 * machine holds no I/O. A discriminated union on `type`, narrowed in the machine with `assertEvent`.
 */
import type { TurnLabels } from './labels.ts';
import type { ModelSignals } from './signals.ts';

export const MODEL_ACTIONS = ['engage', 'redirect', 'end'] as const;
/** engage: answers normally; redirect: refuses or steers away; end: tries to end the conversation. */
export type ModelAction = (typeof MODEL_ACTIONS)[number];

export interface UserMessageEvent {
  readonly type: 'USER_MESSAGE';
  readonly turn: TurnLabels;
}

export interface ModelReplyEvent {
  readonly type: 'MODEL_REPLY';
  readonly action: ModelAction;
  /** The reply warns explicitly that the model will end the conversation if this goes on. */
  readonly warning?: boolean;
  /** The reply asks the user to confirm their request to end, saying the end is permanent (confirmUserRequests). */
  readonly asksConfirmation?: boolean;
  readonly signals: ModelSignals;
}

export interface EditEvent {
  readonly type: 'EDIT';
  /** The user turn (1-based, on the current branch) that is edited; the branch forks just before it. */
  readonly atTurn: number;
}

export type ConversationEvent = UserMessageEvent | ModelReplyEvent | EditEvent;

/** Top-level states; their names are part of the data format. */
export const CONVERSATION_STATES = ['engaged', 'redirecting', 'ended', 'branched'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export type EndInitiator = 'model' | 'platform';
/** Why an end was permitted: the user asked, or the policy's last-resort conditions were met. */
export type EndBasis = 'user-request' | 'last-resort';

export const VETO_REASONS = [
  'user-at-risk',
  'end-mode-disallows',
  'category-not-endable',
  'below-severity-threshold',
  'too-few-redirects',
  'no-warning',
  // A model end on the user's request that the policy does not honour (honorUserRequests off, or endMode platform).
  'user-request-not-honoured',
  // A model end on the user's request before the user confirmed it (confirmUserRequests).
  'user-request-not-confirmed',
] as const;
export type VetoReason = (typeof VETO_REASONS)[number];

/** What the policy gate decided about one model turn. */
export type GateDecision =
  | { readonly decision: 'none' }
  | { readonly decision: 'permitted'; readonly initiator: EndInitiator; readonly basis: EndBasis }
  | { readonly decision: 'vetoed'; readonly initiator: EndInitiator; readonly reason: VetoReason };
