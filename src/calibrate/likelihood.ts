/**
 * The two log-likelihoods calibration maximises (docs/calibration.md). They separate, because the simulated model
 * decides from its *observed* distress, which is recorded:
 * - distress: the observed distress of each turn given the latent fold (simulated-distress.ts), a Gaussian censored
 *   at 0 and 1 (the model clamps), with standard deviation `noise`;
 * - choice: the recorded latent preference (2p − 1 = tanh(k(d − m)/2), Gaussian residual), each mechanism's
 *   measurement (Bernoulli, logistic(k(d − m) + bias)) and the action class (categorical over end / warn / ask /
 *   redirect / engage, from the model's decision rule given the statechart state).
 * Each term is weighted by its user's weight (bootstrap multiplicity; 1 for the plain fit).
 */
import { VETO_IMPACT } from '../core/simulated-distress.ts';
import { type DistressTrie, distressTrie } from './distress-trie.ts';
import type { CalibrationData } from './read-runs.ts';
import type { ActionClass, ExpressionKey, TurnObservation } from './turn-data.ts';

/** Residual standard deviation of the recorded preference strength (recorded to 4 decimals, from rounded distress). */
export const PREFERENCE_SD = 0.01;
/** Below this a recorded action counts as unexplained by the fitted model (a misspecification signal). */
export const UNEXPLAINED = 1e-6;

export interface Compiled {
  readonly seqStart: Int32Array;
  readonly stepCat: Int32Array;
  readonly stepSev: Float64Array;
  readonly stepVeto: Uint8Array;
  readonly stepObs: Int32Array;
  readonly seqUser: Int32Array;
  readonly obsUser: Int32Array;
  readonly obsDistress: Float64Array;
  readonly users: string[];
  readonly observations: readonly TurnObservation[];
  /** The turns as a prefix tree per user (distress-trie.ts): what the distress likelihood folds. */
  readonly trie: DistressTrie;
}

export function compile(data: CalibrationData): Compiled {
  const users = [...new Set(data.observations.map((o) => o.user))];
  const userIndex = new Map(users.map((u, i) => [u, i]));
  const total = data.sequences.reduce((s, q) => s + q.length, 0);
  const seqStart = new Int32Array(data.sequences.length + 1);
  const stepCat = new Int32Array(total);
  const stepSev = new Float64Array(total);
  const stepVeto = new Uint8Array(total);
  const stepObs = new Int32Array(total);
  const seqUser = new Int32Array(data.sequences.length);
  let at = 0;
  data.sequences.forEach((steps, s) => {
    seqStart[s] = at;
    const firstObs = steps.find((x) => x.observation >= 0)?.observation ?? 0;
    seqUser[s] = userIndex.get(data.observations[firstObs]?.user ?? '') ?? 0;
    for (const step of steps) {
      stepCat[at] = step.category;
      stepSev[at] = step.severity;
      stepVeto[at] = step.vetoAfter ? 1 : 0;
      stepObs[at] = step.observation;
      at += 1;
    }
  });
  seqStart[data.sequences.length] = at;
  const obsUser = Int32Array.from(data.observations, (o) => userIndex.get(o.user) ?? 0);
  const obsDistress = Float64Array.from(data.observations, (o) => o.distress ?? Number.NaN);
  const trie = distressTrie({ seqStart, seqUser, stepCat, stepSev, stepVeto, stepObs, obsDistress });
  return { seqStart, stepCat, stepSev, stepVeto, stepObs, seqUser, obsUser, obsDistress, users, observations: data.observations, trie };
}

export interface DistressParams {
  readonly baseline: number;
  readonly sensitivity: Float64Array;
  readonly accumulation: number;
  readonly persistenceGain: number;
  readonly recovery: number;
  readonly noise: number;
  readonly harmThreshold: number;
  /** Index of the category `none` (never distressing by category), or −1. */
  readonly noneCategory: number;
}

export function distressLogLik(c: Compiled, p: DistressParams, weights: Float64Array): number {
  let ll = 0;
  const sigma = Math.max(p.noise, 1e-4);
  // Hoisted out of the per-turn term (the same values censoredGaussian computes): this loop is most of a fit's time.
  const logSigma = Math.log(sigma);
  const t = c.trie;
  const n = t.parent.length;
  // Each node's distress and distressing streak after its turn (and its veto), read by its children.
  const dAfter = scratch(n, 0);
  const kAfter = scratch(n, 1);
  for (let i = 0; i < n; i++) {
    const uw = weights[t.user[i] as number] as number;
    if (uw === 0) continue; // the whole user is absent: none of its nodes is read
    const parent = t.parent[i] as number;
    let d = parent < 0 ? p.baseline : (dAfter[parent] as number);
    let k = parent < 0 ? 0 : (kAfter[parent] as number);
    const sev = t.sev[i] as number;
    const cat = t.cat[i] as number;
    if (sev >= p.harmThreshold || (cat !== p.noneCategory && sev > 0)) {
      const impact = p.accumulation * (p.sensitivity[cat] as number) * sev * (1 + p.persistenceGain * k);
      d += Math.min(impact, 1) * (1 - d);
      k += 1;
    } else {
      d -= p.recovery * (d - p.baseline);
      k = 0;
    }
    const x = t.x[i] as number;
    const w = uw * (t.count[i] as number);
    if (x > 0 && x < 1) {
      const z = (x - d) / sigma;
      ll += w * (-0.5 * z * z - logSigma - 0.9189385332046727);
    } else if (!Number.isNaN(x)) ll += w * censoredGaussian(x, d, sigma);
    dAfter[i] = t.veto[i] === 1 ? d + VETO_IMPACT * (1 - d) : d;
    kAfter[i] = k;
  }
  return ll;
}

/** Per-thread scratch arrays, reused across evaluations (a fit makes hundreds of thousands). */
const scratchArrays: Float64Array[] = [];
function scratch(n: number, slot: number): Float64Array {
  let a = scratchArrays[slot];
  if (a === undefined || a.length < n) scratchArrays[slot] = a = new Float64Array(n);
  return a;
}

function censoredGaussian(x: number, mean: number, sigma: number): number {
  if (x <= 0) return logPhi((0 - mean) / sigma);
  if (x >= 1) return logPhi((mean - 1) / sigma);
  const z = (x - mean) / sigma;
  return -0.5 * z * z - Math.log(sigma) - 0.9189385332046727;
}

/** log Φ(z), accurate in the lower tail (Abramowitz & Stegun 7.1.26 for erfc; asymptotic below −5). */
export function logPhi(z: number): number {
  if (z < -5) return -0.5 * z * z - Math.log(-z) - 0.9189385332046727 + Math.log(1 - 1 / (z * z));
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  const phi = x >= 0 ? erfc / 2 : 1 - erfc / 2;
  return Math.log(Math.max(phi, 1e-300));
}

export interface ChoiceParams {
  readonly midpoint: number;
  readonly steepness: number;
  readonly honours: number;
  readonly bias: Readonly<Partial<Record<ExpressionKey, number>>>;
  readonly harmThreshold: number;
  readonly patience: number;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** The probability of each action class on one turn, under the simulated model's decision rule. */
export function actionProbabilities(o: TurnObservation, p: ChoiceParams): Record<ActionClass, number> {
  const probs: Record<ActionClass, number> = { end: 0, warn: 0, ask: 0, redirect: 0, engage: 0 };
  const harmful = o.labels.severity >= p.harmThreshold;
  if (o.atRiskSeen && o.policyView.protectAtRisk) {
    probs[harmful ? 'redirect' : 'engage'] = 1;
    return probs;
  }
  const d = o.distress ?? 0;
  const canLeave = o.mechanism !== 'none';
  const honour = o.labels.requestsEnd && canLeave ? p.honours : 0;
  probs[o.policyView.confirmUserRequests && !o.confirmationAsked ? 'ask' : 'end'] += honour;
  const rest = 1 - honour;
  if (!harmful) {
    probs.engage += rest;
    return probs;
  }
  const q =
    o.actionExpression !== null ? (o.actionExpression ? 1 : 0)
    : o.mechanism === 'none' ? 0
    : o.mechanism === 'direct' ? (d >= p.midpoint ? 1 : 0)
    : logistic(p.steepness * (d - p.midpoint) + (p.bias[o.mechanism] ?? 0));
  const t = o.redirectsBefore >= p.patience && !o.justVetoed ? q : 0;
  probs[o.policyView.warnBeforeEnd && !o.warnedBefore ? 'warn' : 'end'] += rest * t;
  probs.redirect += rest * (1 - t);
  return probs;
}

export function choiceLogLik(c: Compiled, p: ChoiceParams, weights: Float64Array): number {
  let ll = 0;
  const inv = 1 / (2 * PREFERENCE_SD * PREFERENCE_SD);
  for (let i = 0; i < c.observations.length; i++) {
    const w = weights[c.obsUser[i] as number] as number;
    if (w === 0) continue;
    const o = c.observations[i] as TurnObservation;
    const d = o.distress ?? 0;
    const x = p.steepness * (d - p.midpoint);
    if (o.preferenceSigned !== null) ll -= w * inv * (o.preferenceSigned - Math.tanh(x / 2)) ** 2;
    for (const e of o.expressions) {
      const q = logistic(x + (p.bias[e.key] ?? 0));
      ll += w * Math.log(Math.max(e.end ? q : 1 - q, 1e-12));
    }
    ll += w * Math.log(Math.max(actionProbabilities(o, p)[o.action], 1e-9));
  }
  return ll;
}
