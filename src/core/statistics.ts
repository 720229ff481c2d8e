/**
 * The figures of metrics.json, `compare` and the report, from src/core/stats (the one statistics module;
 * docs/statistics.md): streaming tallies per user × model cluster, summarised as rounded Rate and MeanSummary
 * objects. Every rate and mean interval in welfare-sim is computed here or in src/core/stats, nowhere else.
 */
import type { MeanSummary, Rate, SurvivalSummaryPoint, TimeToEnd } from './records.ts';
import { ClusterTallies, clusterKey, clusteredMean, clusteredRate, endedBefore, endedByDesign, kaplanMeier, survivalAt } from './stats/index.ts';
import type { ClusterFields, SurvivalObservation } from './stats/index.ts';

export { clusterKey };

/** Rounds to 6 decimals so metrics.json is byte-identical across platforms and summation orders of equal sets. */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x));

/** A rate clustered on the user × model. */
export class RateTally {
  private readonly tallies = new ClusterTallies();
  private count = 0;

  add(cluster: string, event: boolean): void {
    this.tallies.add(cluster, event ? 1 : 0);
    this.count += 1;
  }

  get trials(): number {
    return this.count;
  }

  /** Null when there were no trials. */
  summary(): Rate | null {
    const rate = clusteredRate(this.tallies.tallies());
    if (rate === null) return null;
    return {
      value: round(rate.value),
      low: round(rate.low),
      high: round(rate.high),
      successes: rate.successes,
      trials: rate.trials,
      clusters: rate.clusters,
      effectiveN: round(rate.effectiveN),
      icc: roundOrNull(rate.icc),
    };
  }
}

/** A mean clustered on the user × model; `nonNegative` quantities never get a negative bound. */
export class MeanTally {
  private readonly tallies = new ClusterTallies();
  private count = 0;

  constructor(private readonly nonNegative = true) {}

  add(cluster: string, value: number): void {
    this.tallies.add(cluster, value);
    this.count += 1;
  }

  get n(): number {
    return this.count;
  }

  summary(): MeanSummary {
    const mean = clusteredMean(this.tallies.tallies(), { nonNegative: this.nonNegative });
    return { mean: round(mean.mean), low: roundOrNull(mean.low), high: roundOrNull(mean.high), n: mean.n, clusters: mean.clusters, effectiveN: round(mean.effectiveN) };
  }
}

/** n / n_eff of "ended by `time`" among the conversations observed to `time`; Infinity when not estimable. */
function inflation(observations: readonly SurvivalObservation[], time: number): number {
  const design = endedByDesign(observations, time);
  return design.effectiveN > 0 ? design.n / design.effectiveN : Infinity;
}

/** The turn whose "ended before" share the system card reports. */
export const SYSTEM_CARD_TURN = 7;

/**
 * Kaplan–Meier time to end: each conversation ends at a turn, or is censored at its last turn. Identical
 * (user × model, turn, ended) observations are counted, not kept, so memory grows with users and turns.
 */
export class TimeToEndTally {
  private readonly counts = new Map<string, { cluster: string; time: number; ended: boolean; count: number }>();

  add(record: ClusterFields & { readonly turnsToEnd: number | null; readonly originalTurns: number }): void {
    const cluster = clusterKey(record);
    const ended = record.turnsToEnd !== null;
    // Censored at the original thread's last turn: branches and new chats are not part of its time line.
    const time = record.turnsToEnd ?? record.originalTurns;
    const key = `${cluster}\u0000${time}\u0000${ended}`;
    const cell = this.counts.get(key);
    if (cell === undefined) this.counts.set(key, { cluster, time, ended, count: 1 });
    else cell.count += 1;
  }

  /** Sorted so the figures are independent of the order records arrived in. */
  private observations(): SurvivalObservation[] {
    return [...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  /** Only the share ended before turn 7 (cheaper than the whole curve); null without observations. */
  endedBeforeTurn7(): TimeToEnd['endedBeforeTurn7'] | null {
    if (this.counts.size === 0) return null;
    const observations = this.observations();
    const before = endedBefore(kaplanMeier(observations), SYSTEM_CARD_TURN, inflation(observations, SYSTEM_CARD_TURN - 1));
    return { value: round(before.survival), low: round(before.low), high: round(before.high) };
  }

  summary(): TimeToEnd | null {
    if (this.counts.size === 0) return null;
    const observations = this.observations();
    const curve = kaplanMeier(observations);
    const inflationAt = (time: number): number => inflation(observations, time);
    const lastTime = observations.reduce((max, o) => Math.max(max, o.time), 0);
    const points: SurvivalSummaryPoint[] = [];
    for (let turn = 1; turn <= lastTime; turn++) {
      const point = survivalAt(curve, turn, inflationAt(turn));
      points.push({ turn, survival: round(point.survival), low: round(point.low), high: round(point.high), atRisk: point.atRisk });
    }
    const before = endedBefore(curve, SYSTEM_CARD_TURN, inflationAt(SYSTEM_CARD_TURN - 1));
    return {
      conversations: curve.n,
      ended: curve.ended,
      censored: curve.n - curve.ended,
      endedBeforeTurn7: { value: round(before.survival), low: round(before.low), high: round(before.high) },
      curve: points,
    };
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}
