/**
 * The mean of paired differences (policy − baseline on the same user, model and seed) with the clustered t interval
 * of clustered-mean.ts. When every pair has the same difference there is no variation to build an interval from:
 * the bounds are null and `interval` says why, rather than a zero-width [0, 0]; with one user the interval is
 * `not-estimable` (null bounds) too.
 */
import { tallyByCluster } from './cluster-tally.ts';
import { clusteredMean, type ClusteredMean } from './clustered-mean.ts';

export interface PairedMeanDifference {
  readonly mean: number;
  /** Null when no pair differed from another (`all-pairs-equal`) or there is one user (`not-estimable`). */
  readonly low: number | null;
  readonly high: number | null;
  readonly pairs: number;
  readonly clusters: number;
  /** Pairs whose difference is not 0. */
  readonly differing: number;
  readonly effectiveN: number;
  readonly icc: number | null;
  readonly interval: ClusteredMean['interval'] | 'all-pairs-equal';
}

export interface DifferencePair {
  readonly cluster: string;
  readonly difference: number;
}

/** `level`: the two-sided confidence of the interval (0.95 unless given). */
export function pairedMeanDifference(pairs: readonly DifferencePair[], level = 0.95): PairedMeanDifference | null {
  if (pairs.length === 0) return null;
  const differing = pairs.filter((p) => p.difference !== 0).length;
  const tallies = tallyByCluster(pairs.map((p) => ({ cluster: p.cluster, value: p.difference })));
  const first = pairs[0]?.difference ?? 0;
  const base = { pairs: pairs.length, clusters: tallies.length, differing };
  const summary = clusteredMean(tallies, { level });
  if (pairs.every((p) => p.difference === first)) {
    return { mean: first, low: null, high: null, ...base, effectiveN: summary.effectiveN, icc: summary.icc, interval: 'all-pairs-equal' };
  }
  return { mean: summary.mean, low: summary.low, high: summary.high, ...base, effectiveN: summary.effectiveN, icc: summary.icc, interval: summary.interval };
}
