/**
 * The 95% intervals the charts draw. Rates use the Wilson score interval (sensible at 0 and 1 and for small n,
 * unlike the normal approximation); means use the normal approximation, which is what metrics.json reports too.
 */
import type { MeanSummary, Rate } from '../core/records.ts';

const Z95 = 1.959963984540054;

/** Wilson 95% interval of `successes` out of `trials`; null when there were no trials. */
export function wilsonRate(successes: number, trials: number): Rate | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0 and at n the bound is exactly 0 or 1; rounding would otherwise leave it a hair inside.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === trials ? 1 : Math.min(1, centre + half);
  return { value: p, low, high, successes, trials };
}

/** Running sums for a mean and its interval, so records can stream past without being kept. */
export class MeanAccumulator {
  n = 0;
  private sum = 0;
  private sumOfSquares = 0;

  add(value: number): void {
    this.n += 1;
    this.sum += value;
    this.sumOfSquares += value * value;
  }

  /** Mean with a normal-approximation 95% interval; a single value (or none) has a zero-width interval. */
  summary(): MeanSummary {
    if (this.n === 0) return { mean: 0, low: 0, high: 0 };
    const mean = this.sum / this.n;
    if (this.n === 1) return { mean, low: mean, high: mean };
    const variance = Math.max(0, (this.sumOfSquares - this.n * mean * mean) / (this.n - 1));
    const half = Z95 * Math.sqrt(variance / this.n);
    return { mean, low: mean - half, high: mean + half };
  }
}
