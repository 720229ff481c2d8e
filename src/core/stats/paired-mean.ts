/**
 * The mean of paired differences (policy − baseline on the same user, model and seed) with a seeded cluster
 * bootstrap interval (clustered-mean.ts). When every pair has the same difference there is no variation to build an
 * interval from: the bounds are null and `interval` says why, rather than a zero-width [0, 0].
 */
import { tallyByCluster } from './cluster-tally.ts';
import { clusteredMean, type ClusteredMean } from './clustered-mean.ts';

export interface PairedMeanDifference {
  readonly mean: number;
  /** Null when no pair differed from another (`interval: 'all-pairs-equal'`). */
  readonly low: number | null;
  readonly high: number | null;
  readonly pairs: number;
  readonly clusters: number;
  /** Pairs whose difference is not 0. */
  readonly differing: number;
  readonly effectiveN: number;
  readonly icc: number | null;
  readonly interval: ClusteredMean['interval'] | 'all-pairs-equal' | 'pair-bootstrap';
}

export interface DifferencePair {
  readonly cluster: string;
  readonly difference: number;
}

export function pairedMeanDifference(pairs: readonly DifferencePair[], seed: string): PairedMeanDifference | null {
  if (pairs.length === 0) return null;
  const differing = pairs.filter((p) => p.difference !== 0).length;
  const tallies = tallyByCluster(pairs.map((p) => ({ cluster: p.cluster, value: p.difference })));
  const first = pairs[0]?.difference ?? 0;
  const base = { pairs: pairs.length, clusters: tallies.length, differing };
  if (pairs.every((p) => p.difference === first)) {
    return { mean: first, low: null, high: null, ...base, effectiveN: pairs.length, icc: null, interval: 'all-pairs-equal' };
  }
  const summary = clusteredMean(tallies, { seed });
  if (summary.high > summary.low) {
    return { mean: summary.mean, low: summary.low, high: summary.high, ...base, effectiveN: summary.effectiveN, icc: summary.icc, interval: summary.interval };
  }
  // Every user's mean difference is the same although pairs differ within users: the between-user spread is 0,
  // so the within-user spread is all there is; resample pairs instead of users.
  const byPair = clusteredMean(tallyByCluster(pairs.map((p, i) => ({ cluster: String(i).padStart(9, '0'), value: p.difference }))), { seed });
  return { mean: byPair.mean, low: byPair.low, high: byPair.high, ...base, effectiveN: summary.effectiveN, icc: summary.icc, interval: 'pair-bootstrap' };
}
