/**
 * A mean with an interval clustered on the user × model. Two or more clusters: the seeded percentile cluster
 * bootstrap (cluster-bootstrap.ts), which stays inside the range of the observed cluster means — a non-negative
 * quantity (distress exposure, vetoed ends, …) never gets a negative bound. One cluster: the between-user variation
 * cannot be measured at all, so the interval can only describe that user's repetitions (`interval: 'one-cluster'`):
 * for a non-negative quantity on the log scale, m·exp(±z·se/m) (the delta-method "ratio" interval, positive by
 * construction), otherwise the normal interval.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { clusterBootstrapInterval, BOOTSTRAP_REPLICATES } from './cluster-bootstrap.ts';
import { clusterDesign, type ClusterDesign } from './design-effect.ts';
import { Z95 } from './normal.ts';

export type MeanIntervalMethod = 'cluster-bootstrap' | 'one-cluster' | 'none';

export interface ClusteredMean extends ClusterDesign {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly interval: MeanIntervalMethod;
}

export interface ClusteredMeanOptions {
  /** Seed of the bootstrap; derive it from what the mean is of (group and metric), never from time. */
  readonly seed: string;
  /** The quantity cannot be negative (exposures, counts): bounds stay at or above 0. */
  readonly nonNegative?: boolean;
  readonly replicates?: number;
}

export function clusteredMean(tallies: readonly ClusterTally[], options: ClusteredMeanOptions): ClusteredMean {
  const design = clusterDesign(tallies);
  if (design.n === 0) return { mean: 0, low: 0, high: 0, interval: 'none', ...design };
  let sum = 0;
  let sumOfSquares = 0;
  for (const t of tallies) {
    sum += t.sum;
    sumOfSquares += t.sumOfSquares;
  }
  const mean = sum / design.n;
  if (tallies.length >= 2) {
    const { low, high } = clusterBootstrapInterval(tallies, options.seed, options.replicates ?? BOOTSTRAP_REPLICATES);
    // the bootstrap's replicate means are the same ratio as `mean`; clamp the rounding residue so low ≤ mean ≤ high
    return { mean, low: Math.min(low, mean), high: Math.max(high, mean), interval: 'cluster-bootstrap', ...design };
  }
  if (design.n < 2) return { mean, low: mean, high: mean, interval: 'one-cluster', ...design };
  const variance = Math.max(0, (sumOfSquares - design.n * mean * mean) / (design.n - 1));
  const se = Math.sqrt(variance / design.n);
  if (options.nonNegative && mean > 0) {
    const factor = Math.exp((Z95 * se) / mean);
    return { mean, low: mean / factor, high: mean * factor, interval: 'one-cluster', ...design };
  }
  const low = mean - Z95 * se;
  return { mean, low: options.nonNegative ? Math.max(0, low) : low, high: mean + Z95 * se, interval: 'one-cluster', ...design };
}
