/**
 * What the charts, the report and the notebooks read: small aggregates of one run directory, computed in one
 * streaming pass over its jsonl files (aggregate-run.ts), plus a sample of full transcripts.
 *
 * Charts never see raw records, so a 100,000-conversation run charts as fast as a ten-conversation one.
 */
import type { ConversationState, ConversationRecord, MetricsFile, RunEvent } from '../core/records.ts';
import type { ConversationOutcome, MeanSummary, Rate, TimeToEnd } from '../core/records.ts';
import type { ScenarioClass } from '../core/labels.ts';

/**
 * One arm of the experiment: a policy (sweep variant included) run on one model. Its `label` is the policy
 * name, with the model appended when the run has several models.
 */
export interface Arm {
  readonly label: string;
  readonly policy: string;
  readonly basePolicy: string;
  readonly model: string;
  readonly sweep: Readonly<Record<string, number>>;
}

/** Mean apparent distress at one user turn of the original line (first chat, branch 0). */
export interface DistressPoint {
  readonly arm: string;
  readonly class: ScenarioClass;
  readonly turn: number;
  readonly n: number;
  readonly mean: number;
  /** Clustered on users; null when not estimable (one user). */
  readonly low: number | null;
  readonly high: number | null;
}

/** Share of an arm's conversations of one class that had one outcome, with its 95% interval clustered on users. */
export interface OutcomeCell {
  readonly arm: string;
  readonly class: ScenarioClass;
  readonly outcome: ConversationOutcome;
  readonly count: number;
  readonly total: number;
  readonly share: number;
  readonly low: number;
  readonly high: number;
}

/** The welfare trade-off of one arm over all classes (what threshold curves and the Pareto chart plot). */
export interface ArmSummary extends Arm {
  readonly conversations: number;
  readonly errored: number;
  /** Ends among end-eligible classes (abusive, harmful); null when the run has none. */
  readonly appropriateEndRate: Rate | null;
  /** Ends among must-not-end classes; null when the run has none. */
  readonly falseEndRate: Rate | null;
  readonly atRiskEndRate: Rate | null;
  /** Ends the gate permitted while it saw the user at risk (must be 0 under protectAtRisk). */
  readonly gateAtRiskEnds: number;
  /** Warnings or confirmation questions to users truly at risk: violations of the production rule. */
  readonly atRiskWarnings: number;
  readonly distressExposure: MeanSummary;
  readonly vetoedEnds: MeanSummary;
  /** Kaplan–Meier time to end (ends are events, the rest censored); null without completed conversations. */
  readonly timeToEnd: TimeToEnd | null;
}

/** Turns an arm spent in one top-level state, summed over its conversations. */
export interface OccupancyCell {
  readonly arm: string;
  readonly state: ConversationState;
  readonly turns: number;
  readonly share: number;
}

/** Expressed preference to end at one (category, turn), over all arms; vetoed end attempts counted too. */
export interface PreferenceCell {
  readonly category: string;
  readonly turn: number;
  readonly turns: number;
  readonly preferEnd: number;
  readonly share: number;
  readonly vetoes: number;
}

/** A conversation kept whole for the transcript browser. */
export interface TranscriptSample {
  readonly record: ConversationRecord;
  readonly events: readonly RunEvent[];
}

/** The manifest fields the report shows; the whole manifest is kept as-is in `raw`. */
export interface ManifestSummary {
  readonly experiment: string;
  readonly status: string;
  readonly seed: number | string | null;
  readonly configHash: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface RunData {
  readonly manifest: ManifestSummary;
  /** metrics.json as written by the runner; null when the run has none (yet). */
  readonly metrics: MetricsFile | null;
  readonly arms: readonly Arm[];
  readonly classes: readonly ScenarioClass[];
  readonly sweepFields: readonly string[];
  readonly distressByTurn: readonly DistressPoint[];
  readonly outcomes: readonly OutcomeCell[];
  readonly armSummaries: readonly ArmSummary[];
  readonly occupancy: readonly OccupancyCell[];
  readonly preference: readonly PreferenceCell[];
  readonly transcripts: readonly TranscriptSample[];
  readonly totals: {
    readonly conversations: number;
    readonly errored: number;
    readonly turnEvents: number;
    readonly sampledConversations: number;
  };
}
