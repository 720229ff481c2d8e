/**
 * The difference of two paired proportions (policy − baseline on the same users and seeds) with Newcombe's
 * method 10 (R. G. Newcombe, "Improved confidence intervals for the difference between binomial proportions based
 * on paired data", Statistics in Medicine 17:2635–2650, 1998): the square-and-add combination of the two marginal
 * Wilson intervals, corrected by the correlation φ̂ between the pair members (with Newcombe's adjustment: a positive
 * AD − BC is replaced by max(AD − BC − N/2, 0) in φ̂'s numerator),
 *
 *   L = θ̂ − √((p₁−l₁)² − 2φ̂(p₁−l₁)(u₂−p₂) + (u₂−p₂)²),   U = θ̂ + √((u₁−p₁)² − 2φ̂(u₁−p₁)(p₂−l₂) + (p₂−l₂)²).
 *
 * **Clustering.** Method 10 is a MOVER interval (G. Y. Zou, A. Donner, "Construction of confidence limits about
 * effect measures: a general approach", Statistics in Medicine 27:1693–1702, 2008): it is valid for any valid
 * marginal limits and any consistent estimate of the correlation between the two estimators. Here the marginal
 * limits are the clustered Wilson intervals (clustered-rate.ts), and the correlation is that of the cluster totals'
 * residuals, Σ(s₁ᵢ − p₁mᵢ)(s₂ᵢ − p₂mᵢ) / √(Σ(s₁ᵢ − p₁mᵢ)² Σ(s₂ᵢ − p₂mᵢ)²) — the correlation of the two ratio
 * estimators under cluster sampling, which is exactly Newcombe's φ̂ when every cluster holds one pair. So with one
 * pair per user this is method 10 to the digit.
 *
 * **Never zero-width.** When no pair disagrees, φ̂ = 1 and method 10 collapses to a point at p = ½. The difference of
 * two paired proportions is bounded by the share of discordant pairs, |p₁ − p₂| ≤ P(discordant), so the interval
 * then also spans ± the clustered Wilson upper bound of 0 discordant pairs — 0 of N observed disagreements says the
 * difference is within that bound, not that it is exactly 0.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { clusteredRate, type ClusteredRate } from './clustered-rate.ts';
import { Z95 } from './normal.ts';
import type { Bounds } from './wilson.ts';

/** One pair: whether the event happened under the first arm (the policy) and under the second (the baseline). */
export interface BinaryPair {
  readonly cluster: string;
  readonly first: boolean;
  readonly second: boolean;
}

/** The paired 2×2 table in Newcombe's notation. */
export interface PairedTable {
  /** Event under both. */
  readonly both: number;
  /** Under the first (policy) only. */
  readonly firstOnly: number;
  /** Under the second (baseline) only. */
  readonly secondOnly: number;
  readonly neither: number;
}

export interface PairedProportionDifference {
  /** p₁ − p₂. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  readonly pairs: number;
  readonly clusters: number;
  readonly table: PairedTable;
  /** The correlation used (φ̂, or its cluster-total form). */
  readonly correlation: number;
  readonly first: ClusteredRate;
  readonly second: ClusteredRate;
  /** With no discordant pair: the clustered upper bound on the discordant share that widened the interval. */
  readonly discordanceBound: number | null;
}

/** Method 10 from the two proportions, their intervals and the correlation between them. */
export function squareAndAdd(p1: number, first: Bounds, p2: number, second: Bounds, correlation: number): Bounds {
  const lowerFirst = p1 - first.low;
  const upperFirst = first.high - p1;
  const lowerSecond = p2 - second.low;
  const upperSecond = second.high - p2;
  const delta = Math.sqrt(Math.max(0, lowerFirst ** 2 - 2 * correlation * lowerFirst * upperSecond + upperSecond ** 2));
  const epsilon = Math.sqrt(Math.max(0, upperFirst ** 2 - 2 * correlation * upperFirst * lowerSecond + lowerSecond ** 2));
  const difference = p1 - p2;
  return { low: Math.max(-1, difference - delta), high: Math.min(1, difference + epsilon) };
}

/** Clustered Newcombe method 10 for pairs; null when there are none. */
export function pairedProportionDifference(pairs: Iterable<BinaryPair>, z = Z95): PairedProportionDifference | null {
  const byCluster = new Map<string, { n: number; first: number; second: number; discordant: number }>();
  const table = { both: 0, firstOnly: 0, secondOnly: 0, neither: 0 };
  for (const pair of pairs) {
    const c = byCluster.get(pair.cluster) ?? { n: 0, first: 0, second: 0, discordant: 0 };
    c.n += 1;
    c.first += Number(pair.first);
    c.second += Number(pair.second);
    c.discordant += Number(pair.first !== pair.second);
    byCluster.set(pair.cluster, c);
    if (pair.first && pair.second) table.both += 1;
    else if (pair.first) table.firstOnly += 1;
    else if (pair.second) table.secondOnly += 1;
    else table.neither += 1;
  }
  const clusters = [...byCluster].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const binaryTallies = (pick: (c: { first: number; second: number; discordant: number }) => number): ClusterTally[] =>
    clusters.map(([key, c]) => ({ key, n: c.n, sum: pick(c), sumOfSquares: pick(c) }));
  const first = clusteredRate(binaryTallies((c) => c.first), z);
  const second = clusteredRate(binaryTallies((c) => c.second), z);
  if (first === null || second === null) return null;
  const p1 = first.value;
  const p2 = second.value;
  let cross = 0;
  let squaresFirst = 0;
  let squaresSecond = 0;
  for (const [, c] of clusters) {
    const r1 = c.first - p1 * c.n;
    const r2 = c.second - p2 * c.n;
    cross += r1 * r2;
    squaresFirst += r1 * r1;
    squaresSecond += r2 * r2;
  }
  // Newcombe's φ̂: 0 when a margin is empty; a positive AD − BC is reduced by N/2 and floored at 0 — method 10 as
  // published; a negative one is used as it is. On the scale of cluster-total residuals Σr₁ᵢr₂ᵢ = (AD − BC)/N with
  // one pair per cluster, so the reduction is ½; with clusters of mᵢ pairs every product is on a scale mᵢ² larger,
  // and the reduction is ½·Σmᵢ²/k (identical clusters of m pairs then give method 10 on the k clusters exactly).
  let sizesSquared = 0;
  for (const [, c] of clusters) sizesSquared += c.n * c.n;
  const reduction = (0.5 * sizesSquared) / clusters.length;
  const corrected = cross > 0 ? Math.max(0, cross - reduction) : cross;
  const correlation = squaresFirst > 0 && squaresSecond > 0 ? Math.max(-1, Math.min(1, corrected / Math.sqrt(squaresFirst * squaresSecond))) : 0;
  let { low, high } = squareAndAdd(p1, first, p2, second, correlation);
  let discordanceBound: number | null = null;
  if (table.firstOnly + table.secondOnly === 0) {
    discordanceBound = clusteredRate(binaryTallies((c) => c.discordant), z)?.high ?? 1;
    low = Math.min(low, -discordanceBound);
    high = Math.max(high, discordanceBound);
  }
  return { difference: p1 - p2, low, high, pairs: first.n, clusters: clusters.length, table, correlation, first, second, discordanceBound };
}
