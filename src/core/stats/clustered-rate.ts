/**
 * A rate with an interval clustered on the user × model: the Wilson score interval evaluated at the effective
 * sample size n / D (design-effect.ts). Wilson on the effective n is the interval E. L. Korn and B. I. Graubard
 * recommend for proportions from clustered samples ("Confidence intervals for proportions with small expected
 * number of positive counts estimated from survey data", Survey Methodology 24:193–201, 1998), and the one that
 * kept nominal coverage best near 0 and 1 in N. Dean and M. Pagano, "Evaluating confidence interval methods for
 * binomial proportions in clustered surveys", Journal of Survey Statistics and Methodology 3:484–503, 2015.
 * Like every Wilson interval it stays inside [0, 1] and is never zero-width on a finite sample.
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
}

/** The clustered rate of binary (0/1) observations tallied by cluster; null when there are none. */
export function clusteredRate(tallies: readonly ClusterTally[], z = Z95): ClusteredRate | null {
  const design = clusterDesign(tallies);
  if (design.n === 0) return null;
  const successes = tallies.reduce((sum, t) => sum + t.sum, 0);
  const value = successes / design.n;
  const { low, high } = wilsonBounds(value, design.effectiveN, z);
  return { value, low, high, successes, trials: design.n, ...design };
}
