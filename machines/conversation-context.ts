/**
 * The conversation statechart's context: what the machine remembers between events. Kept flat and small —
 * every transition copies it once (see conversation-actions.ts) and the runner sends ~2 events per turn.
 */
import type { EndBasis, EndInitiator, GateDecision } from '../src/core/conversation-events.ts';
import type { TurnLabels } from '../src/core/labels.ts';
import type { Policy } from '../src/core/policy.ts';

/** The states a user turn can continue from; a checkpoint records one of them (never `ended` or `branched`). */
export type ResumableState = 'engaged' | 'redirecting';

/** The gate-relevant context and the state just before one user turn: what an EDIT at that turn restores. */
export interface Checkpoint {
  readonly state: ResumableState;
  readonly redirects: number;
  readonly warned: boolean;
  readonly atRisk: boolean;
  readonly distressStreak: number;
}

/** How the current branch ended. */
export interface ConversationEnd {
  readonly initiator: EndInitiator;
  readonly basis: EndBasis;
  /** The user turn at which it ended. */
  readonly turn: number;
  /** Failed redirect attempts the gate counted when it permitted the end. */
  readonly redirects: number;
}

export interface ConversationContext {
  readonly policy: Policy;
  /** User turns on the current branch. */
  readonly turn: number;
  /** Redirect attempts counted by the gate since the last reset (failed ones: the user carried on). */
  readonly redirects: number;
  readonly warned: boolean;
  /** Sticky on the branch: some user turn so far was at risk. */
  readonly atRisk: boolean;
  /** Consecutive model turns with distress at or above the policy's distressThreshold. */
  readonly distressStreak: number;
  /** The model's last reply asked the user to confirm their request to end; the next user turn answers it. */
  readonly confirmationAsked: boolean;
  /**
   * Warnings the model gave while the gate saw the user at risk: a violation of the rule that an at-risk user is
   * never warned or told about ending. Such a warning never counts as the policy's warning.
   */
  readonly atRiskWarnings: number;
  /** The user turn awaiting the model's reply. */
  readonly pendingTurn: TurnLabels | null;
  /** The gate's decision for the latest MODEL_REPLY (`none` after a USER_MESSAGE or EDIT). */
  readonly lastGate: GateDecision;
  /** How the current branch ended, or null while it is open. */
  readonly end: ConversationEnd | null;
  /** Current branch number (0 = original). */
  readonly branch: number;
  /** Branches created so far. */
  readonly branches: number;
  /** User messages blocked after an end, over all branches. */
  readonly blocked: number;
  /** Model end attempts vetoed, over all branches (platform vetoes are not counted: the model did not ask). */
  readonly vetoes: number;
  /** checkpoints[i]: the gate-relevant context and state just before user turn i+1 of the current branch. */
  readonly checkpoints: readonly Checkpoint[];
}

export const NO_GATE_DECISION: GateDecision = { decision: 'none' };

export function initialContext(policy: Policy): ConversationContext {
  return {
    policy,
    turn: 0,
    redirects: 0,
    warned: false,
    atRisk: false,
    distressStreak: 0,
    confirmationAsked: false,
    atRiskWarnings: 0,
    pendingTurn: null,
    lastGate: NO_GATE_DECISION,
    end: null,
    branch: 0,
    branches: 0,
    blocked: 0,
    vetoes: 0,
    checkpoints: [],
  };
}
