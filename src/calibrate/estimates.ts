/**
 * Estimates of the closed-form parameters and the interval helpers of the fit (docs/calibration.md, "Intervals").
 */
import type { ClosedForm } from './closed-form.ts';
import type { ParamDef } from './params.ts';

export interface Estimate {
  readonly name: string;
  readonly value: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly identified: boolean;
  /** Why it is not identified, or how it was estimated, in plain words. */
  readonly note?: string;
}

export function closedEstimate(name: string, value: number | null, fallback: number, [low, high]: [number | null, number | null], why: string): Estimate {
  if (value === null) return { name, value: fallback, low: null, high: null, identified: false, note: `${why}; the template value is kept` };
  return { name, value, low, high, identified: true, note: 'closed-form maximum likelihood' };
}

/** The likelihood-ratio interval along the parameter's axis: where the drop stays below `threshold` (bisection). */
export function sliceInterval(def: ParamDef, hat: number, drop: (x: number) => number, threshold: number): [number, number] {
  const edge = (limit: number): number => {
    if (drop(limit) < threshold) return limit;
    let inside = hat;
    let outside = limit;
    for (let k = 0; k < 40; k++) {
      const mid = def.log === true ? Math.sqrt(inside * outside) : (inside + outside) / 2;
      if (drop(mid) < threshold) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return [edge(def.low), edge(def.high)];
}

/** Wilson score interval (Wilson 1927) for k of n at 95%. */
export function wilson(k: number, n: number): [number, number] {
  if (n <= 0) return [0, 1];
  const z = 1.959964;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function perceptionEstimates(closed: ClosedForm, interval: (n: string) => [number | null, number | null], copies: number): Estimate[] {
  if (closed.perception === null) {
    return [{ name: 'perception', value: Number.NaN, low: null, high: null, identified: false, note: 'the runs do not record what the model perceived: every other parameter is fitted as a function of the true labels (its misreadings folded into them), so the profile reads the true labels (oracle) rather than adding the template misreadings on top' }];
  }
  return Object.entries(closed.perception).map(([k, v]) => {
    const count = closed.perceptionCounts[k as keyof typeof closed.perceptionCounts];
    const [bLow, bHigh] = interval(`perception.${k}`);
    // Rates: Wilson at the effective count (CRN copies are one draw), joined with the bootstrap interval.
    const [wLow, wHigh] = k === 'severityNoise' ? [v, v] : wilson(v * (count / copies), count / copies);
    const low = Math.min(wLow, bLow ?? wLow);
    const high = Math.max(wHigh, bHigh ?? wHigh);
    return count > 0
      ? { name: `perception.${k}`, value: v, low, high, identified: true, note: `share over ${count} turns (${(count / copies).toFixed(0)} independent draws)` }
      : { name: `perception.${k}`, value: v, low: null, high: null, identified: false, note: 'no turn of this kind in the runs' };
  });
}
