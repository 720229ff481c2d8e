/**
 * The design effect of clustered observations and the effective sample size it implies (L. Kish, Survey Sampling,
 * Wiley 1965; A. Donner, A. Klar, Design and Analysis of Cluster Randomization Trials in Health Research, Arnold
 * 2000, §2.5): with clusters of size m and intra-cluster correlation ρ, D = 1 + (m − 1)ρ and n_eff = N / D.
 * Clusters of unequal size use the size-weighted mean m̄_w = Σmᵢ²/N in place of m (S. M. Eldridge, D. Ashby,
 * S. Kerry, International Journal of Epidemiology 35:1292–1300, 2006).
 *
 * **One rule for every case** (E. L. Korn, B. I. Graubard, "Confidence intervals for proportions with small expected
 * number of positive counts estimated from survey data", Survey Methodology 24:193–201, 1998):
 *
 *   n_eff = min(N, N / D · (t_{N−1} / t_{k−1})²)
 *
 * with ρ the ANOVA estimate truncated to [0, 1], and ρ = 0 (D = 1) when the outcome does not vary at all (0 events,
 * or every observation alike) — the data then carry no evidence of clustering, as with a single event. The factor
 * (t_{N−1}/t_{k−1})² is Korn and Graubard's degrees-of-freedom adjustment: the between-user variance is estimated from
 * k users, so few users shrink the effective n whatever ρ is — 0 of 150 over 3 users is worth about 32 independent
 * observations, 0 of 150 over 150 users 150. Because 0 events and 1 event are treated alike (ρ̂ = 0 for both), the
 * upper bound grows with the number of events. With one cluster (k − 1 = 0 degrees of freedom) nothing about users
 * can be said: the effective n is 0 and intervals are "not estimable".
 */
import type { ClusterTally } from './cluster-tally.ts';
import { intraclassCorrelation } from './intraclass-correlation.ts';
import { Z95 } from './normal.ts';
import { studentQuantile } from './student-t.ts';

export type IccBasis = 'estimated' | 'no-variation' | 'one-per-cluster' | 'one-cluster';

export interface ClusterDesign {
  /** Observations. */
  readonly n: number;
  readonly clusters: number;
  /** The ρ used: the ANOVA estimate, 0 without variation; null with one observation per cluster or one cluster. */
  readonly icc: number | null;
  readonly iccBasis: IccBasis;
  readonly designEffect: number;
  /** Degrees of freedom of the variance: k − 1 (N − 1 with one observation per cluster). */
  readonly degreesOfFreedom: number;
  /** The number of independent observations the clustered sample is worth (0 with one cluster). */
  readonly effectiveN: number;
}

/** D = 1 + (m − 1)ρ for clusters of size m. */
export function designEffect(clusterSize: number, icc: number): number {
  return 1 + (clusterSize - 1) * icc;
}

/** Korn and Graubard's degrees-of-freedom factor (t_{N−1} / t_{df})², at most 1; 0 without degrees of freedom. */
export function degreesOfFreedomFactor(n: number, df: number, level = 0.95): number {
  if (df < 1) return 0;
  if (df >= n - 1) return 1;
  const p = 1 - (1 - level) / 2;
  const ratio = (n > 1 ? studentQuantile(p, n - 1) : Z95) / studentQuantile(p, df);
  return Math.min(1, ratio * ratio);
}

/** The design of a set of cluster tallies: ρ, D, degrees of freedom and the effective n. */
export function clusterDesign(tallies: readonly ClusterTally[]): ClusterDesign {
  let n = 0;
  let sizesSquared = 0;
  for (const t of tallies) {
    n += t.n;
    sizesSquared += t.n * t.n;
  }
  const clusters = tallies.length;
  if (n === 0) return { n, clusters, icc: null, iccBasis: 'one-per-cluster', designEffect: 1, degreesOfFreedom: 0, effectiveN: 0 };
  const estimate = intraclassCorrelation(tallies);
  if (!estimate.estimable && estimate.reason === 'one-cluster') {
    return { n, clusters, icc: null, iccBasis: 'one-cluster', designEffect: 1, degreesOfFreedom: 0, effectiveN: 0 };
  }
  if (!estimate.estimable && estimate.reason === 'one-per-cluster') {
    return { n, clusters, icc: null, iccBasis: 'one-per-cluster', designEffect: 1, degreesOfFreedom: n - 1, effectiveN: n };
  }
  const icc = estimate.estimable ? estimate.icc : 0;
  const effect = designEffect(sizesSquared / n, icc);
  const degreesOfFreedom = clusters - 1;
  const effectiveN = Math.min(n, (n / effect) * degreesOfFreedomFactor(n, degreesOfFreedom));
  return { n, clusters, icc, iccBasis: estimate.estimable ? 'estimated' : 'no-variation', designEffect: effect, degreesOfFreedom, effectiveN };
}
