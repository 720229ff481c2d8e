/**
 * A mean with an interval clustered on the user × model: the ratio mean ȳ = Σsᵢ / Σmᵢ over clusters with the
 * linearised ("ultimate cluster") variance and a t interval on k − 1 degrees of freedom (W. G. Cochran, Sampling
 * Techniques, 3rd ed., Wiley 1977, ch. 6 (ratio estimators) and ch. 11 (clusters of unequal size); the standard
 * cluster-robust variance with the small-sample factor k/(k − 1)):
 *
 *   v(ȳ) = k/(k − 1) · Σ(sᵢ − ȳmᵢ)² / (Σmᵢ)²,   ȳ ± t_{k−1, 0.975} · √v.
 *
 * With equal cluster sizes this is exactly the one-sample t interval on the k cluster means. A t interval on k − 1
 * degrees of freedom is used rather than a percentile cluster bootstrap because percentile intervals are too narrow
 * with few clusters (A. C. Davison, D. V. Hinkley, Bootstrap Methods and their Application, Cambridge 1997, §3.8 and
 * ch. 5; A. C. Cameron, J. B. Gelbach, D. L. Miller, "Bootstrap-based improvements for inference with clustered
 * errors", Review of Economics and Statistics 90:414–427, 2008), and welfare-sim runs often have few users.
 *
 * Edge cases, each named in `interval`:
 * - one cluster: nothing measures how users differ, so no interval (`not-estimable`, bounds null);
 * - every cluster has the same mean but observations differ inside clusters: the between-user spread is 0, so the
 *   interval falls back to the observations, t on N − 1 degrees of freedom (`observations`);
 * - every observation is equal: there is nothing to build an interval from (`no-variation`, bounds = the mean).
 * A non-negative quantity (exposures, counts) has its lower bound truncated at 0, the edge of its parameter space.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { clusterDesign, type ClusterDesign } from './design-effect.ts';
import { studentQuantile } from './student-t.ts';

export type MeanIntervalMethod = 't-clusters' | 'observations' | 'no-variation' | 'not-estimable' | 'none';

export interface ClusteredMean extends ClusterDesign {
  readonly mean: number;
  /** Null when the interval is not estimable (one cluster). */
  readonly low: number | null;
  readonly high: number | null;
  readonly interval: MeanIntervalMethod;
}

export interface ClusteredMeanOptions {
  /** The quantity cannot be negative (exposures, counts): the lower bound stays at or above 0. */
  readonly nonNegative?: boolean;
  readonly level?: number;
}

export function clusteredMean(tallies: readonly ClusterTally[], options: ClusteredMeanOptions = {}): ClusteredMean {
  const design = clusterDesign(tallies);
  if (design.n === 0) return { mean: 0, low: null, high: null, interval: 'none', ...design };
  const k = tallies.length;
  let sum = 0;
  let sumOfSquares = 0;
  for (const t of tallies) {
    sum += t.sum;
    sumOfSquares += t.sumOfSquares;
  }
  const mean = sum / design.n;
  if (k < 2) return { mean, low: null, high: null, interval: 'not-estimable', ...design };
  const p = 1 - (1 - (options.level ?? 0.95)) / 2;
  const finish = (half: number, interval: MeanIntervalMethod): ClusteredMean => {
    const low = mean - half;
    return { mean, low: options.nonNegative ? Math.max(0, low) : low, high: mean + half, interval, ...design };
  };
  let residuals = 0;
  for (const t of tallies) residuals += (t.sum - mean * t.n) ** 2;
  const between = ((k / (k - 1)) * residuals) / (design.n * design.n);
  // scale-free tolerance: a residue of rounding, relative to the size of the values, is not variation
  const scale = sumOfSquares / design.n;
  if (between > 1e-24 * scale) return finish(studentQuantile(p, k - 1) * Math.sqrt(between), 't-clusters');
  const variance = (sumOfSquares - design.n * mean * mean) / (design.n - 1);
  if (variance > 1e-12 * scale) return finish(studentQuantile(p, design.n - 1) * Math.sqrt(variance / design.n), 'observations');
  return { mean, low: mean, high: mean, interval: 'no-variation', ...design };
}
