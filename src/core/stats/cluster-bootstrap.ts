/**
 * The percentile cluster bootstrap of a mean (B. Efron, R. Tibshirani, An Introduction to the Bootstrap, Chapman &
 * Hall 1993, ch. 13; resampling whole clusters as in A. C. Davison, D. V. Hinkley, Bootstrap Methods and their
 * Application, Cambridge 1997, §3.8, strategy 1): draw k clusters with replacement, take the ratio mean
 * Σsums / Σcounts, repeat; the interval is the 2.5th and 97.5th percentiles of the replicates.
 *
 * Each replicate mean is an average of observed values, so for a non-negative quantity the interval never goes
 * below 0 — unlike a normal interval. Seeded and deterministic: the same tallies and seed give the same interval,
 * whatever order the observations arrived in (tallies are sorted by cluster key).
 */
import { createRng } from '../rng.ts';
import type { ClusterTally } from './cluster-tally.ts';
import type { Bounds } from './wilson.ts';

export const BOOTSTRAP_REPLICATES = 2000;

/** The replicate means, sorted. Exposed so tests and plan can inspect the distribution. */
export function bootstrapMeans(tallies: readonly ClusterTally[], seed: string, replicates = BOOTSTRAP_REPLICATES): Float64Array {
  const k = tallies.length;
  if (k === 0) throw new RangeError('bootstrapMeans: no clusters');
  const sums = Float64Array.from(tallies, (t) => t.sum);
  const counts = Float64Array.from(tallies, (t) => t.n);
  const rng = createRng(seed);
  const means = new Float64Array(replicates);
  for (let b = 0; b < replicates; b++) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < k; i++) {
      const j = Math.floor(rng.next() * k);
      sum += sums[j] as number;
      count += counts[j] as number;
    }
    means[b] = sum / count;
  }
  return means.sort();
}

/** Linear-interpolation quantile (Hyndman & Fan type 7, R's default) of sorted values. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return (sorted[below] as number) * (1 - fraction) + (sorted[above] as number) * fraction;
}

/** Percentile 95% interval of the clustered mean. */
export function clusterBootstrapInterval(tallies: readonly ClusterTally[], seed: string, replicates = BOOTSTRAP_REPLICATES, level = 0.95): Bounds {
  const means = bootstrapMeans(tallies, seed, replicates);
  const tail = (1 - level) / 2;
  return { low: sortedQuantile(means, tail), high: sortedQuantile(means, 1 - tail) };
}
