/**
 * Quantiles of Student's t distribution, for intervals whose variance is estimated from few clusters. The CDF is
 * the regularised incomplete beta function, P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½), evaluated by its continued fraction
 * (modified Lentz; W. H. Press et al., Numerical Recipes, 3rd ed., Cambridge 2007, §6.4), and inverted by bisection.
 */
import { normalQuantile } from './normal.ts';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(|T| > t) for t ≥ 0 with ν degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Quantiles already computed: metrics ask for the same few (p, ν) pairs thousands of times. */
const memo = new Map<string, number>();

/** The t with P(T ≤ t) = p (0.5 ≤ p < 1) for ν ≥ 1 degrees of freedom (fractional allowed). */
export function studentQuantile(p: number, df: number): number {
  if (!(p >= 0.5 && p < 1)) throw new RangeError(`studentQuantile: expected 0.5 ≤ p < 1, found ${p}`);
  if (!(df >= 1)) throw new RangeError(`studentQuantile: expected at least 1 degree of freedom, found ${df}`);
  if (p === 0.5) return 0;
  const key = `${p}/${df}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const t = bisectQuantile(p, df);
  if (memo.size < 10_000) memo.set(key, t);
  return t;
}

function bisectQuantile(p: number, df: number): number {
  const tail = 2 * (1 - p);
  let low = normalQuantile(p) * 0.99;
  let high = Math.max(1, low);
  while (studentTwoSidedP(high, df) > tail) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTwoSidedP(mid, df) > tail) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
