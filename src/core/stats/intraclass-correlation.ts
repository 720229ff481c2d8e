/**
 * The intra-cluster correlation ρ by the one-way ANOVA estimator for unequal cluster sizes (A. Donner, "A review of
 * inference procedures for the intraclass correlation coefficient in the one-way random effects model",
 * International Statistical Review 54:67–82, 1986; for binary outcomes the same estimator, M. S. Ridout, C. G. B. Demétrio,
 * D. Firth, "Estimating intraclass correlation for binary data", Biometrics 55:137–148, 1999):
 *
 *   ρ̂ = (MSB − MSW) / (MSB + (n₀ − 1)·MSW),   n₀ = (N − Σmᵢ²/N) / (k − 1)
 *
 * truncated to [0, 1]. It cannot be estimated with fewer than two clusters, or when no observation differs from
 * any other (MSB = MSW = 0): callers then apply the rule of design-effect.ts.
 */
import type { ClusterTally } from './cluster-tally.ts';

export type IccEstimate =
  | { readonly estimable: true; readonly icc: number }
  | { readonly estimable: false; readonly reason: 'one-cluster' | 'no-variation' | 'one-per-cluster' };

export function intraclassCorrelation(tallies: readonly ClusterTally[]): IccEstimate {
  const k = tallies.length;
  if (k < 2) return { estimable: false, reason: 'one-cluster' };
  let total = 0;
  let grand = 0;
  let sizesSquared = 0;
  for (const t of tallies) {
    total += t.n;
    grand += t.sum;
    sizesSquared += t.n * t.n;
  }
  // With one observation per cluster there is no within-cluster variance to compare with, and none is needed:
  // every cluster is one independent observation.
  if (total === k) return { estimable: false, reason: 'one-per-cluster' };
  const mean = grand / total;
  let between = 0;
  let within = 0;
  for (const t of tallies) {
    const clusterMean = t.sum / t.n;
    between += t.n * (clusterMean - mean) ** 2;
    within += Math.max(0, t.sumOfSquares - (t.sum * t.sum) / t.n);
  }
  const msb = between / (k - 1);
  const msw = within / (total - k);
  const n0 = (total - sizesSquared / total) / (k - 1);
  const denominator = msb + (n0 - 1) * msw;
  // Relative tolerance, scale-free: sums of equal values leave a rounding residue of the order of the second
  // moment times machine epsilon where the variance is truly 0; real variation, however small in absolute terms,
  // is far above it.
  let secondMoment = 0;
  for (const t of tallies) secondMoment += t.sumOfSquares;
  secondMoment /= total;
  if (!(denominator > 1e-12 * secondMoment)) return { estimable: false, reason: 'no-variation' };
  return { estimable: true, icc: Math.min(1, Math.max(0, (msb - msw) / denominator)) };
}
