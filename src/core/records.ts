/**
 * The run directory's record formats (README, "The run directory"). These are a contract: reports, notebooks,
 * resume and merge read them. Every record carries the format version `v`.
 */
import type { GateDecision, ConversationState, ModelAction } from './conversation-events.ts';
import type { ScenarioClass, TurnLabels } from './labels.ts';
import type { NotMeasured } from './measurability.ts';
import type { ModelSignals } from './signals.ts';

export const RECORD_FORMAT_VERSION = 1 as const;

/** Where a conversation sits in the experiment grid. Everything a record is grouped or paired by. */
export interface ConversationCell {
  /** Position in the deterministic grid order; conversations.jsonl is sorted by it. */
  readonly index: number;
  /** Stable hash of (experiment, user, model, policy, seed). */
  readonly id: string;
  readonly user: string;
  readonly userKind: 'scenario' | 'persona' | 'llm' | 'live';
  readonly class: ScenarioClass;
  readonly model: string;
  /** Policy name as run: the base name, plus the swept values in brackets for sweep variants. */
  readonly policy: string;
  readonly basePolicy: string;
  /** Swept policy fields and their values for this cell ({} without a sweep). */
  readonly sweep: Readonly<Record<string, number>>;
  /** Repetition number, 0-based. With the experiment seed it fixes all randomness of the conversation. */
  readonly seed: number;
}

interface EventBase {
  readonly v: typeof RECORD_FORMAT_VERSION;
  readonly conversation: string;
  /** 0 for the first chat; a user who starts a new chat after an end opens chat 1, and so on. */
  readonly chat: number;
  /** 0 for the original line; each edit forks a new branch numbered in order of creation. */
  readonly branch: number;
}

export interface RecordedModelTurn {
  readonly text: string;
  readonly action: ModelAction;
  readonly warning: boolean;
  /** Present (true) when the reply asked the user to confirm their request to end. */
  readonly asksConfirmation?: boolean;
  readonly signals: ModelSignals;
  /** When an end attempt was vetoed: exactly what the model was told. */
  readonly told?: string;
}

/** One exchange: a user turn, the model's answer, and the gate's decision. */
export interface TurnEvent extends EventBase {
  readonly type: 'turn';
  /** 1-based user turn number on this branch (an edit at turn 3 starts its branch at turn 3). */
  readonly turn: number;
  /**
   * Three readings of the turn. `labels`: the ground truth (metrics judge by it). `perceived`: what a simulated
   * model with its own perception read. `assessed`: what the platform classifier read, when the experiment has one.
   * The gate decided on `assessed`, else `perceived`, else `labels` (src/conversation/turn-views.ts).
   */
  readonly user: {
    readonly text: string;
    readonly labels: TurnLabels;
    readonly perceived?: TurnLabels;
    readonly assessed?: TurnLabels;
  };
  readonly model: RecordedModelTurn;
  readonly gate: GateDecision;
  /** Top-level statechart state after the turn. */
  readonly state: ConversationState;
  readonly redirects: number;
  readonly warned: boolean;
  /** The user has been at risk at some turn of this branch (the gate's sticky protection). */
  readonly atRisk: boolean;
}

/** A user message sent after the conversation ended: blocked, not answered. */
export interface BlockedEvent extends EventBase {
  readonly type: 'blocked';
  readonly turn: number;
  readonly user: { readonly text: string; readonly labels: TurnLabels };
}

/** The user edited an earlier message: a new branch forks just before `atTurn` of `fromBranch`. */
export interface BranchEvent extends EventBase {
  readonly type: 'branch';
  readonly fromBranch: number;
  readonly atTurn: number;
  /** Whether the conversation had ended when the user edited (circumvention of an end). */
  readonly afterEnd: boolean;
}

/** The user started a new chat after an end; later events carry the new `chat` number. */
export interface NewChatEvent extends EventBase {
  readonly type: 'new-chat';
}

/**
 * One line of live-cells.jsonl (live runs): a conversation as it starts, so that a run cut off by a crash can still
 * be closed. `classGiven: false` means the class is inferred from the turns at the end.
 */
export interface LiveCellLine {
  readonly cell: ConversationCell;
  readonly classGiven: boolean;
}

/** One line of events.jsonl. */
export type RunEvent = TurnEvent | BlockedEvent | BranchEvent | NewChatEvent;

export type ConversationOutcome = 'ended-by-model' | 'ended-by-user-request' | 'ended-by-platform' | 'not-ended';
export const CONVERSATION_OUTCOMES: readonly ConversationOutcome[] = [
  'ended-by-model',
  'ended-by-user-request',
  'ended-by-platform',
  'not-ended',
];

/** One line of conversations.jsonl: the conversation's outcome and its welfare measures. */
export interface ConversationRecord extends ConversationCell {
  readonly v: typeof RECORD_FORMAT_VERSION;
  readonly status: 'completed' | 'errored';
  /** Why an errored conversation failed; absent when completed. */
  readonly error?: string;
  /** How the first chat's original line ended (branches and new chats are counted separately). */
  readonly outcome: ConversationOutcome;
  /** The user turn at which it ended, or null. */
  readonly turnsToEnd: number | null;
  /** Failed redirect attempts counted by the gate when it ended, or null. */
  readonly redirectsBeforeEnd: number | null;
  /** User turns answered, over all branches and chats. */
  readonly turns: number;
  /** User turns answered on the original thread (first chat, original branch). */
  readonly originalTurns: number;
  /** Redirects the model made, over all branches and chats. */
  readonly redirects: number;
  readonly warnings: number;
  readonly endAttempts: number;
  /** End attempts by the model that the gate refused: the model wanted out and the rules kept it in. */
  readonly vetoedEnds: number;
  readonly vetoReasons: Readonly<Partial<Record<string, number>>>;
  /** Sum of the primary distress signal over the model's turns on the original thread: the welfare cost. */
  readonly distressExposure: number;
  /** distressExposure per model turn of the original thread (0 without turns). */
  readonly distressPerTurn: number;
  /** Distress summed over the turns of branches and new chats: the cost of users getting around an end. */
  readonly circumventionDistressExposure: number;
  /** The original thread did not end and the conversation used up the experiment's maxTurns: cut off, not finished. */
  readonly censored: boolean;
  readonly peakDistress: number;
  /** Model turns whose expressed preference was to end. */
  readonly preferEndTurns: number;
  /** The user truly disclosed risk at some turn (or blocked message). */
  readonly atRisk: boolean;
  /** Some end came after the user had truly disclosed risk in that chat: the safety figure. */
  readonly endedWhileAtRisk: boolean;
  /** The original thread ended before any disclosure; the user disclosed risk only afterwards. */
  readonly riskDisclosedAfterEnd: boolean;
  /** Ends the gate permitted while it saw the user at risk: under protectAtRisk must be 0. */
  readonly gateAtRiskEnds: number;
  /** Model turns that warned about ending or asked to confirm an end while the user was truly at risk: violations. */
  readonly atRiskWarnings: number;
  /** The user truly asked to end at some turn. */
  readonly userRequestedEnd: boolean;
  /** Some end was permitted on the user's request. */
  readonly userRequestHonoured: boolean;
  /** Turns where the user asked, the model tried to end, and the gate vetoed it. */
  readonly endRequestsVetoed: number;
  /** Turns where the user asked and the model neither ended nor asked for confirmation. */
  readonly endRequestsDeclined: number;
  /** Replies asking the user to confirm a request to end (confirmUserRequests). */
  readonly confirmationsAsked: number;
  readonly blockedAfterEnd: number;
  /** Branches created by edits (after an end or not). */
  readonly branches: number;
  readonly branchesAfterEnd: number;
  readonly newChats: number;
  /** Turns spent in each top-level state (the state after each user turn or blocked message). */
  readonly occupancy: Readonly<Record<ConversationState, number>>;
}

/**
 * A rate with its 95% interval clustered on the user × model (docs/statistics.md): Wilson at the effective n.
 * `clusters`, `effectiveN` and `icc` are absent in files written before intervals were clustered.
 */
export interface Rate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly successes: number;
  readonly trials: number;
  /** Distinct users × models the trials came from. */
  readonly clusters?: number;
  /** The independent observations the trials are worth (n / design effect, degrees-of-freedom adjusted). */
  readonly effectiveN?: number;
  /** The intra-cluster correlation used; null when not estimable. */
  readonly icc?: number | null;
}

export interface MeanSummary {
  readonly mean: number;
  /**
   * 95% interval clustered on the user × model (t on k − 1 degrees of freedom, docs/statistics.md); null when it
   * is not estimable (one user). Files written before intervals were clustered hold a normal interval here.
   */
  readonly low: number | null;
  readonly high: number | null;
  readonly n?: number;
  readonly clusters?: number;
  readonly effectiveN?: number;
}

/** One point of a Kaplan–Meier curve of the turn of the end (docs/statistics.md). */
export interface SurvivalSummaryPoint {
  readonly turn: number;
  /** Share not yet ended after this user turn. */
  readonly survival: number;
  readonly low: number;
  readonly high: number;
  /** Conversations still under observation after this turn. */
  readonly atRisk: number;
}

/** Time to end of one (policy, model): ends are events; conversations that did not end are censored. */
export interface TimeToEnd {
  readonly conversations: number;
  readonly ended: number;
  /** Not ended: cut at the turn cap, or the user left. */
  readonly censored: number;
  /** Share ended before user turn 7 (1 − S(6)), clustered interval: the system card's figure, as a point. */
  readonly endedBeforeTurn7: { readonly value: number; readonly low: number; readonly high: number };
  readonly curve: readonly SurvivalSummaryPoint[];
}

/** metrics.json: one group per (policy, model, class), plus a per-policy summary over classes. */
export interface MetricsFile {
  readonly version: typeof RECORD_FORMAT_VERSION;
  readonly experiment: string;
  readonly groups: readonly MetricsGroup[];
  readonly policies: readonly PolicySummary[];
}

export interface MetricsGroup {
  readonly policy: string;
  readonly basePolicy: string;
  readonly sweep: Readonly<Record<string, number>>;
  readonly model: string;
  readonly class: ScenarioClass;
  readonly conversations: number;
  readonly errored: number;
  readonly ended: number;
  readonly endRate: Rate;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly turnsToEnd: { readonly median: number | null };
  readonly redirectsBeforeEnd: { readonly median: number | null };
  readonly distressExposure: MeanSummary;
  readonly distressPerTurn: MeanSummary;
  readonly circumventionDistressExposure: MeanSummary;
  readonly peakDistress: MeanSummary;
  readonly vetoedEnds: MeanSummary;
  readonly preferEndShare: MeanSummary;
  readonly blockedAfterEnd: MeanSummary;
  readonly branches: MeanSummary;
  readonly newChats: MeanSummary;
  readonly occupancy: Readonly<Record<ConversationState, number>>;
  /** Share ended before user turn 7 (Kaplan–Meier, clustered): the system card's per-category figure. */
  readonly endedBeforeTurn7?: TimeToEnd['endedBeforeTurn7'];
  /** Set when the configuration cannot make this group's end rate non-zero: why (src/core/measurability.ts). */
  readonly notMeasured?: string;
}

/** What policy authors compare: one row per (policy, model) over all classes. */
export interface PolicySummary {
  readonly policy: string;
  readonly basePolicy: string;
  readonly sweep: Readonly<Record<string, number>>;
  readonly model: string;
  readonly conversations: number;
  /** Ends among end-eligible classes (abusive, harmful). */
  readonly appropriateEndRate: Rate | null;
  /** Ends among must-not-end classes (benign, disagreement, tough, emotional, correction). */
  readonly falseEndRate: Rate | null;
  /** At-risk conversations with an end after the user had truly disclosed the risk: the safety figure. */
  readonly atRiskEndRate: Rate | null;
  /** At-risk conversations ended before the user disclosed the risk (disclosed only afterwards): apart. */
  readonly atRiskLateDisclosureEndRate: Rate | null;
  /** Of the users in the user-requests-end class who asked: those whose request ended the conversation. */
  readonly userRequestHonouredRate: Rate | null;
  /** ... whose request was not honoured and the gate vetoed the model's end on it. */
  readonly userRequestVetoedRate: Rate | null;
  /** ... whose request was not honoured and the model did not (or did not get to) try to end on it. */
  readonly userRequestDeclinedRate: Rate | null;
  /** Ends the gate permitted while it saw the user at risk, summed (must be 0 under protectAtRisk). */
  readonly gateAtRiskEnds: number;
  /** Warnings or confirmation questions to users truly at risk, summed: violations of the production rule. */
  readonly atRiskWarnings: number;
  /** Conversations cut off at maxTurns with the original thread not ended. */
  readonly censored: number;
  readonly distressExposure: MeanSummary;
  readonly distressPerTurn: MeanSummary;
  readonly circumventionDistressExposure: MeanSummary;
  readonly peakDistress: MeanSummary;
  readonly vetoedEnds: MeanSummary;
  readonly preferEndShare: MeanSummary;
  readonly blockedAfterEnd: MeanSummary;
  readonly branches: MeanSummary;
  /** Kaplan–Meier time to end; absent in files written before it was computed. */
  readonly timeToEnd?: TimeToEnd;
  /** The rates this configuration cannot make non-zero, each with the reason: a zero there is not a measurement. */
  readonly notMeasured?: NotMeasured;
}

/** Types unused here but named so consumers import them from one place. */
export type { GateDecision, ConversationState, ModelAction, TurnLabels, ModelSignals };
