/**
 * A rate with an interval clustered on the user × model: the Wilson score interval evaluated at the effective
 * sample size of design-effect.ts — Korn and Graubard's (Survey Methodology 24:193–201, 1998) effective n with their
 * degrees-of-freedom adjustment. Korn and Graubard pair that effective n with the Clopper–Pearson interval; the
 * Wilson form is used here because it is the interval of every unclustered rate in welfare-sim (so one user per
 * cluster gives exactly the textbook Wilson interval) and it is never zero-width. N. Dean and M. Pagano ("Evaluating
 * confidence interval methods for binomial proportions in clustered surveys", Journal of Survey Statistics and
 * Methodology 3:484–503, 2015) compare both forms under cluster sampling.
 *
 * With one cluster there is no measure of how users differ: the interval is [0, 1], `interval: 'not-estimable'`.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { clusterDesign, type ClusterDesign } from './design-effect.ts';
import { Z95 } from './normal.ts';
import { wilsonBounds } from './wilson.ts';

export interface ClusteredRate extends ClusterDesign {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly successes: number;
  readonly trials: number;
  readonly interval: 'wilson-effective-n' | 'not-estimable';
}

/** The clustered rate of binary (0/1) observations tallied by cluster; null when there are none. */
export function clusteredRate(tallies: readonly ClusterTally[], z = Z95): ClusteredRate | null {
  const design = clusterDesign(tallies);
  if (design.n === 0) return null;
  const successes = tallies.reduce((sum, t) => sum + t.sum, 0);
  const value = successes / design.n;
  if (!(design.effectiveN > 0)) return { value, low: 0, high: 1, successes, trials: design.n, ...design, interval: 'not-estimable' };
  const { low, high } = wilsonBounds(value, design.effectiveN, z);
  return { value, low, high, successes, trials: design.n, ...design, interval: 'wilson-effective-n' };
}
