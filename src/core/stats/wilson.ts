/**
 * The Wilson score interval for a proportion (E. B. Wilson, "Probable inference, the law of succession, and
 * statistical inference", JASA 22:209–212, 1927; method 3 of R. G. Newcombe, "Two-sided confidence intervals for
 * the single proportion: comparison of seven methods", Statistics in Medicine 17:857–872, 1998).
 *
 * `n` may be fractional: the clustered interval (clustered-rate.ts) evaluates it at an effective sample size.
 */
import { Z95 } from './normal.ts';

export interface Bounds {
  readonly low: number;
  readonly high: number;
}

/** Wilson interval of the proportion `p` observed on `n` (possibly effective, fractional) trials; n > 0. */
export function wilsonBounds(p: number, n: number, z = Z95): Bounds {
  if (!(n > 0)) throw new RangeError(`wilsonBounds: expected a positive number of trials, found ${n}`);
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 and 1 the bound is exactly 0 or 1; floating point would otherwise leave it a hair inside or outside.
  return { low: p <= 0 ? 0 : Math.max(0, centre - half), high: p >= 1 ? 1 : Math.min(1, centre + half) };
}

/** Wilson interval of `successes` out of `trials` independent trials. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Bounds {
  return wilsonBounds(successes / trials, trials, z);
}
