/**
 * The fitted parameters and their transforms: each bounded parameter θ ∈ [low, high] is searched as an unbounded
 * u with θ = low + (high − low) · logistic(u) (on a log scale for the steepness), so Nelder–Mead never leaves the
 * range the profile schema allows.
 */

export interface ParamDef {
  /** Dotted path in the profile, e.g. `sensitivity.abuse`, `endMechanism.expression.tool`. */
  readonly name: string;
  readonly low: number;
  readonly high: number;
  readonly start: number;
  readonly log?: boolean;
}

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));

export function toValue(def: ParamDef, u: number): number {
  const t = logistic(u);
  if (def.log === true) return Math.exp(Math.log(def.low) + (Math.log(def.high) - Math.log(def.low)) * t);
  return def.low + (def.high - def.low) * t;
}

export function toSearch(def: ParamDef, value: number): number {
  const t =
    def.log === true
      ? (Math.log(value) - Math.log(def.low)) / (Math.log(def.high) - Math.log(def.low))
      : (value - def.low) / (def.high - def.low);
  return logit(Math.min(1 - 1e-6, Math.max(1e-6, t)));
}

export const toValues = (defs: readonly ParamDef[], u: readonly number[]): number[] => defs.map((d, i) => toValue(d, u[i] as number));
export const toSearchAll = (defs: readonly ParamDef[], v: readonly number[]): number[] => defs.map((d, i) => toSearch(d, v[i] as number));

/** Evenly spaced values across the allowed range (log-spaced for log parameters), for the flat-profile check. */
export function rangeGrid(def: ParamDef, points = 11): number[] {
  return Array.from({ length: points }, (_, i) => {
    const t = 0.02 + (0.96 * i) / (points - 1);
    return def.log === true ? Math.exp(Math.log(def.low) + (Math.log(def.high) - Math.log(def.low)) * t) : def.low + (def.high - def.low) * t;
  });
}
