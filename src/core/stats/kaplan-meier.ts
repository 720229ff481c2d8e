/**
 * Kaplan–Meier estimate of time to end (E. L. Kaplan, P. Meier, "Nonparametric estimation from incomplete
 * observations", JASA 53:457–481, 1958) with Greenwood's variance (M. Greenwood, "The natural duration of cancer",
 * Reports on Public Health and Medical Subjects 33, HMSO 1926) and the log-log interval of J. D. Kalbfleisch and
 * R. L. Prentice (The Statistical Analysis of Failure Time Data, Wiley 1980), which stays inside [0, 1]:
 *
 *   S(t) = Π (1 − dⱼ/nⱼ),   v(t) = Σ dⱼ / (nⱼ(nⱼ − dⱼ)),   S^exp(±z·√v / |log S|).
 *
 * Time is the user turn at which a conversation ended; a conversation that did not end is censored at its last
 * turn (the turn cap, or the turn the user left). Before the first end (S = 1) and after everyone at risk ended
 * (S = 0) the log-log interval is undefined; there the bound is the Wilson bound of 0 events among those at risk,
 * so "nobody ended before turn 7" still carries an honest upper bound.
 *
 * **Clustering.** Greenwood assumes independent conversations. `survivalAt` takes n / n_eff (design-effect.ts:
 * the design effect with Korn and Graubard's degrees-of-freedom adjustment) and multiplies Greenwood's variance by it — an approximation in the spirit of the robust variance for clustered survival times
 * (R. M. Williams, "Product-limit survival functions with correlated survival times", Lifetime Data Analysis
 * 1:171–186, 1995) that needs only the ρ already measured; `endedByDesign` measures the design of
 * "ended by t" among the conversations observed up to t.
 */
import type { ClusterTally } from './cluster-tally.ts';
import { ClusterTallies } from './cluster-tally.ts';
import { clusterDesign, type ClusterDesign } from './design-effect.ts';
import { Z95 } from './normal.ts';
import { wilsonBounds } from './wilson.ts';

export interface SurvivalObservation {
  /** The turn of the end, or the last turn observed when censored. */
  readonly time: number;
  /** True when it ended at `time`; false when censored there. */
  readonly ended: boolean;
  readonly cluster?: string;
  /** How many conversations this observation stands for (1 unless given): identical observations can be counted. */
  readonly count?: number;
}

export interface SurvivalStep {
  readonly time: number;
  readonly atRisk: number;
  readonly ended: number;
  readonly censored: number;
  readonly survival: number;
  /** Greenwood's Σ d/(n(n−d)) up to this time (the variance of log S); Infinity once S = 0. */
  readonly greenwood: number;
}

export interface KaplanMeierCurve {
  readonly n: number;
  readonly ended: number;
  /** One step per distinct time with an end or a censoring, in time order. */
  readonly steps: readonly SurvivalStep[];
}

export interface SurvivalPoint {
  readonly time: number;
  readonly survival: number;
  readonly low: number;
  readonly high: number;
  readonly atRisk: number;
}

export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierCurve {
  const byTime = new Map<number, { ended: number; censored: number }>();
  let ended = 0;
  let n = 0;
  for (const o of observations) {
    const count = o.count ?? 1;
    n += count;
    const cell = byTime.get(o.time) ?? { ended: 0, censored: 0 };
    if (o.ended) {
      cell.ended += count;
      ended += count;
    } else cell.censored += count;
    byTime.set(o.time, cell);
  }
  const steps: SurvivalStep[] = [];
  let atRisk = n;
  let survival = 1;
  let greenwood = 0;
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    const cell = byTime.get(time) as { ended: number; censored: number };
    if (cell.ended > 0) {
      survival *= 1 - cell.ended / atRisk;
      greenwood = atRisk === cell.ended ? Infinity : greenwood + cell.ended / (atRisk * (atRisk - cell.ended));
    }
    steps.push({ time, atRisk, ended: cell.ended, censored: cell.censored, survival, greenwood });
    // ends at a time precede censorings at that time (the usual convention): both leave the risk set after it
    atRisk -= cell.ended + cell.censored;
  }
  return { n, ended, steps };
}

/**
 * S(t) with its 95% interval, Greenwood's variance multiplied by `inflation` = n / n_eff of the clustered design
 * (1 for independent observations; Infinity when not estimable, which gives [0, 1]).
 */
export function survivalAt(curve: KaplanMeierCurve, time: number, inflation = 1, z = Z95): SurvivalPoint {
  let step: SurvivalStep | undefined;
  for (const s of curve.steps) if (s.time <= time) step = s;
  const survival = step?.survival ?? 1;
  const greenwood = step?.greenwood ?? 0;
  // at risk just after `time`: those still under observation
  const atRiskAfter = curve.steps.filter((s) => s.time > time).reduce((sum, s) => sum + s.ended + s.censored, 0);
  if (!Number.isFinite(inflation)) return { time, survival, low: 0, high: 1, atRisk: atRiskAfter };
  if (survival >= 1) {
    // Nobody ended by `time`: those known not to have ended by then are everyone observed through `time` —
    // including those censored at `time` itself, who were seen at that turn and did not end.
    const observedThrough = curve.steps.filter((s) => s.time >= time).reduce((sum, s) => sum + s.ended + s.censored, 0);
    if (observedThrough === 0) return { time, survival: 1, low: 0, high: 1, atRisk: atRiskAfter };
    return { time, survival: 1, low: 1 - wilsonBounds(0, observedThrough / inflation, z).high, high: 1, atRisk: atRiskAfter };
  }
  if (survival <= 0 || !Number.isFinite(greenwood)) {
    const atRiskAt = step === undefined ? curve.n : step.atRisk;
    return { time, survival: 0, low: 0, high: wilsonBounds(0, Math.max(atRiskAt, 1e-9) / inflation, z).high, atRisk: atRiskAfter };
  }
  const se = Math.sqrt(greenwood * inflation) / Math.abs(Math.log(survival));
  return { time, survival, low: survival ** Math.exp(z * se), high: survival ** Math.exp(-z * se), atRisk: atRiskAfter };
}

/** The share ended before `turn` (ended at turn ≤ turn − 1), i.e. 1 − S(turn − 1), with its interval. */
export function endedBefore(curve: KaplanMeierCurve, turn: number, inflation = 1, z = Z95): SurvivalPoint {
  const s = survivalAt(curve, turn - 1, inflation, z);
  return { time: s.time, survival: 1 - s.survival, low: 1 - s.high, high: 1 - s.low, atRisk: s.atRisk };
}

/** The design of the indicator "ended at or before t" over the observations whose status at t is known. */
export function endedByDesign(observations: readonly SurvivalObservation[], time: number): ClusterDesign {
  const tallies = new ClusterTallies();
  for (const o of observations) {
    const known = o.ended ? true : o.time >= time;
    if (!known) continue;
    tallies.add(o.cluster ?? '', o.ended && o.time <= time ? 1 : 0, o.count ?? 1);
  }
  const list: ClusterTally[] = tallies.tallies();
  return clusterDesign(list);
}
