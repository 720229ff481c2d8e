/**
 * Interval estimates used by every metric: Wilson score intervals for rates (well behaved near 0 and 1, where
 * the rates that matter here live — at-risk ends must be 0) and normal intervals for means.
 */
import type { MeanSummary, Rate } from './records.ts';

const Z95 = 1.959963984540054;

export function wilson(successes: number, trials: number): Rate {
  if (trials === 0) return { value: 0, low: 0, high: 0, successes, trials };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { value: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)), successes, trials };
}

/** Streaming mean and variance (Welford), so aggregates never hold the records. */
export class MeanAccumulator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  add(x: number): void {
    this.n += 1;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
  }
  get count(): number {
    return this.n;
  }
  summary(): MeanSummary {
    if (this.n === 0) return { mean: 0, low: 0, high: 0 };
    const sd = this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
    const half = (Z95 * sd) / Math.sqrt(this.n);
    return { mean: round(this.mean), low: round(this.mean - half), high: round(this.mean + half) };
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/** Rounds to 6 decimals so metrics.json is byte-identical across platforms and summation orders of equal sets. */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
