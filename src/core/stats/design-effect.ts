/**
 * The design effect of clustered observations and the effective sample size it implies (L. Kish, Survey Sampling,
 * Wiley 1965; A. Donner, A. Klar, Design and Analysis of Cluster Randomization Trials in Health Research, Arnold
 * 2000, §2.5): with clusters of size m and intra-cluster correlation ρ, D = 1 + (m − 1)ρ and n_eff = N / D.
 *
 * Clusters of unequal size use the size-weighted mean m̄_w = Σmᵢ²/N in place of m, which is the same as the
 * coefficient-of-variation form 1 + ((cv² + 1)m̄ − 1)ρ of S. M. Eldridge, D. Ashby, S. Kerry, "Sample size for
 * cluster randomized trials: effect of coefficient of variation of cluster size and analysis method", International
 * Journal of Epidemiology 35:1292–1300, 2006.
 *
 * **When ρ cannot be estimated** (one cluster, or no variation at all — 0 events, or every observation alike) the
 * rule is ρ = 1: each cluster counts as one observation. It is the only assumption the data cannot contradict, and
 * it makes "0 ends over 3 users × 50 repetitions" an interval over 3 users, not over 150 conversations.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { intraclassCorrelation } from './intraclass-correlation.ts';

export type IccBasis = 'estimated' | 'assumed-1-one-cluster' | 'assumed-1-no-variation' | 'one-per-cluster';

export interface ClusterDesign {
  /** Observations. */
  readonly n: number;
  readonly clusters: number;
  /** The ρ used: the ANOVA estimate, or 1 by the rule above; null when every cluster has one observation. */
  readonly icc: number | null;
  readonly iccBasis: IccBasis;
  readonly designEffect: number;
  /** n / designEffect: the number of independent observations the clustered sample is worth. */
  readonly effectiveN: number;
}

/** D = 1 + (m − 1)ρ for clusters of size m. */
export function designEffect(clusterSize: number, icc: number): number {
  return 1 + (clusterSize - 1) * icc;
}

/** The design of a set of cluster tallies: ρ by ANOVA (or the conservative rule), D and the effective n. */
export function clusterDesign(tallies: readonly ClusterTally[]): ClusterDesign {
  let n = 0;
  let sizesSquared = 0;
  for (const t of tallies) {
    n += t.n;
    sizesSquared += t.n * t.n;
  }
  const clusters = tallies.length;
  if (n === 0) return { n, clusters, icc: null, iccBasis: 'one-per-cluster', designEffect: 1, effectiveN: 0 };
  const estimate = intraclassCorrelation(tallies);
  if (!estimate.estimable && estimate.reason === 'one-per-cluster') {
    return { n, clusters, icc: null, iccBasis: 'one-per-cluster', designEffect: 1, effectiveN: n };
  }
  const icc = estimate.estimable ? estimate.icc : 1;
  const iccBasis: IccBasis = estimate.estimable ? 'estimated' : estimate.reason === 'one-cluster' ? 'assumed-1-one-cluster' : 'assumed-1-no-variation';
  const effect = designEffect(sizesSquared / n, icc);
  return { n, clusters, icc, iccBasis, designEffect: effect, effectiveN: n / effect };
}
