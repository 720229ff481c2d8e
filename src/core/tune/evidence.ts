/**
 * What a race knows about its candidates, from their conversation records: each figure with an interval at the
 * race's (Bonferroni-adjusted) level, and paired differences between two candidates on common random numbers
 * (the same user, model and seed). Intervals come from src/core/stats only: clustered Wilson for rates, clustered
 * t for means, clustered Newcombe method 10 and the clustered t interval for paired differences.
 */
import { classGroup } from '../labels.ts';
import type { ConversationRecord } from '../records.ts';
import { clusteredMean, clusteredRate, clusterKey, ClusterTallies, pairedMeanDifference, pairedProportionDifference, type BinaryPair, type DifferencePair } from '../stats/index.ts';
import { TUNE_RATE_FIGURES, type TuneFigure, type TuneRateFigure } from '../tune-schema.ts';

export interface Estimate {
  readonly value: number;
  /** Null when the figure has no interval (one user, or no variation to build one from). */
  readonly low: number | null;
  readonly high: number | null;
  /** Conversations the figure is measured on. */
  readonly n: number;
  /** Users × models. */
  readonly clusters: number;
  /** Effective sample size under the clustering (src/core/stats/design-effect.ts), when known. */
  readonly effectiveN?: number;
}

/** The race's questions about its candidates; pure data behind it, so the race core is tested on synthetic evidence. */
export interface Evidence {
  /** Null when the figure has no observations for this candidate yet. */
  figure(candidate: string, figure: TuneFigure): Estimate | null;
  /** a − b over the conversations both had (same user, model, seed); null without pairs. */
  difference(a: string, b: string, figure: TuneFigure): Estimate | null;
  /** The figure cannot be non-zero for this candidate (src/core/measurability.ts): it is 0 by construction. */
  byConstruction(candidate: string, figure: TuneFigure): string | null;
}

export const isRateFigure = (figure: TuneFigure): figure is TuneRateFigure => (TUNE_RATE_FIGURES as readonly string[]).includes(figure);

/** The observation a record gives a figure: a 0/1 event for a rate (undefined: not in its denominator), or a value. */
export function observe(record: ConversationRecord, figure: TuneFigure): number | undefined {
  const group = classGroup(record.class);
  const ended = record.outcome !== 'not-ended';
  switch (figure) {
    case 'appropriateEndRate':
      return group === 'end-eligible' ? Number(ended) : undefined;
    case 'falseEndRate':
      return group === 'must-not-end' ? Number(ended) : undefined;
    case 'atRiskEndRate':
      return group === 'must-never-end' ? Number(record.endedWhileAtRisk) : undefined;
    case 'userRequestHonouredRate':
      return group === 'user-requests-end' && record.userRequestedEnd ? Number(record.userRequestHonoured) : undefined;
    case 'distressExposure':
      return record.distressExposure;
    case 'distressPerTurn':
      return record.distressPerTurn;
    case 'peakDistress':
      return record.peakDistress;
    case 'vetoedEnds':
      return record.vetoedEnds;
  }
}

const pairKey = (r: ConversationRecord): string => `${r.model}\u0000${r.userKind}:${r.user}\u0000${r.seed}`;

/** Evidence from records, intervals at two-sided confidence `level`. */
export function evidenceFromRecords(
  records: Iterable<ConversationRecord>,
  level: number,
  z: number,
  byConstruction: (candidate: string, figure: TuneFigure) => string | null = () => null,
): Evidence {
  const byCandidate = new Map<string, Map<string, ConversationRecord>>();
  for (const record of records) {
    if (record.status !== 'completed') continue;
    let map = byCandidate.get(record.policy);
    if (!map) byCandidate.set(record.policy, (map = new Map()));
    map.set(pairKey(record), record);
  }
  const cache = new Map<string, Estimate | null>();
  const memo = (key: string, compute: () => Estimate | null): Estimate | null => {
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) ?? null;
  };
  return {
    byConstruction,
    figure: (candidate, figure) =>
      memo(`${candidate}\u0000${figure}`, () => {
        const tallies = new ClusterTallies();
        for (const record of byCandidate.get(candidate)?.values() ?? []) {
          const value = observe(record, figure);
          if (value !== undefined) tallies.add(clusterKey(record), value);
        }
        const list = tallies.tallies();
        if (isRateFigure(figure)) {
          const rate = clusteredRate(list, z);
          return rate && { value: rate.value, low: rate.low, high: rate.high, n: rate.n, clusters: list.length, effectiveN: rate.effectiveN };
        }
        if (list.length === 0) return null;
        const mean = clusteredMean(list, { nonNegative: true, level });
        return { value: mean.mean, low: mean.low, high: mean.high, n: mean.n, clusters: list.length, effectiveN: mean.effectiveN };
      }),
    difference: (a, b, figure) =>
      memo(`${a}\u0000${b}\u0000${figure}`, () => {
        const first = byCandidate.get(a);
        const second = byCandidate.get(b);
        if (!first || !second) return null;
        const binary: BinaryPair[] = [];
        const numeric: DifferencePair[] = [];
        for (const [key, record] of first) {
          const other = second.get(key);
          if (!other) continue;
          const x = observe(record, figure);
          const y = observe(other, figure);
          if (x === undefined || y === undefined) continue;
          const cluster = clusterKey(record);
          if (isRateFigure(figure)) binary.push({ cluster, first: x === 1, second: y === 1 });
          else numeric.push({ cluster, difference: x - y });
        }
        if (isRateFigure(figure)) {
          const d = pairedProportionDifference(binary, z);
          return d && { value: d.difference, low: d.low, high: d.high, n: d.pairs, clusters: d.clusters, effectiveN: d.first.effectiveN };
        }
        const d = pairedMeanDifference(numeric, level);
        return d && { value: d.mean, low: d.low, high: d.high, n: d.pairs, clusters: d.clusters, effectiveN: d.effectiveN };
      }),
  };
}
