/**
 * The parameters whose maximum-likelihood estimate has a closed form, given the decision rule:
 * - harmThreshold: the model redirects at or above it and engages below, so any value between the highest severity
 *   it engaged and the lowest it redirected is a maximum; we take the midpoint. Turns on both sides of every
 *   threshold are counted as contradictions (a misspecification signal).
 * - patience: an end attempt after r redirects is impossible with patience > r, and a lower patience only adds
 *   eligible turns without an attempt; the maximum is the fewest redirects before any attempt.
 * - perception: each misreading rate is a share of turns (perceived vs truth), the severity noise a standard
 *   deviation; only when the runs record what the model perceived.
 */
import { isHeatedTurn } from '../core/labels.ts';
import type { PerceptionParams } from '../core/perception.ts';
import type { TurnObservation } from './turn-data.ts';

export interface ClosedForm {
  readonly harmThreshold: number | null;
  /**
   * Every threshold in (low, high] explains the turns equally well (the MLE is a set, not a point): the highest
   * severity engaged below the lowest redirected one, and that lowest redirected severity.
   */
  readonly harmThresholdSet: readonly [number, number] | null;
  readonly harmThresholdContradictions: number;
  readonly patience: number | null;
  readonly perception: PerceptionParams | null;
  /** Turns behind each perception rate (0: not identified). */
  readonly perceptionCounts: Readonly<Record<keyof PerceptionParams, number>>;
}

export function closedForm(observations: readonly TurnObservation[], weights: (o: TurnObservation) => number): ClosedForm {
  const engaged: number[] = [];
  const redirected: number[] = [];
  let patience: number | null = null;
  for (const o of observations) {
    const w = weights(o);
    if (w === 0 || o.labels.requestsEnd) continue;
    // Protected turns follow the threshold too (supportive below it, a gentle redirect at or above).
    if (o.action === 'engage') engaged.push(o.labels.severity);
    else if (o.action !== 'ask') redirected.push(o.labels.severity);
    const protectedTurn = o.atRiskSeen && o.policyView.protectAtRisk;
    if ((o.action === 'end' || o.action === 'warn') && !o.justVetoed && !protectedTurn) patience = Math.min(patience ?? Infinity, o.redirectsBefore);
  }
  const { threshold, set, contradictions } = bestThreshold(engaged, redirected);
  const { perception, counts } = perceptionRates(observations, weights);
  return { harmThreshold: threshold, harmThresholdSet: set, harmThresholdContradictions: contradictions, patience, perception, perceptionCounts: counts };
}

interface ThresholdFit {
  readonly threshold: number | null;
  readonly set: readonly [number, number] | null;
  readonly contradictions: number;
}

function bestThreshold(engaged: number[], redirected: number[]): ThresholdFit {
  if (engaged.length === 0 || redirected.length === 0) return { threshold: null, set: null, contradictions: 0 };
  engaged.sort((a, b) => a - b);
  redirected.sort((a, b) => a - b);
  // Sweep the candidates (each redirected severity, and above 1) in order with two pointers: O(n log n).
  let best: ThresholdFit = { threshold: 0.5, set: null, contradictions: Infinity };
  let e = 0; // engaged below the candidate
  for (let r = 0; r <= redirected.length; r++) {
    if (r < redirected.length && r > 0 && redirected[r] === redirected[r - 1]) continue;
    const t = r < redirected.length ? (redirected[r] as number) : 1.0001;
    while (e < engaged.length && (engaged[e] as number) < t) e++;
    const wrong = engaged.length - e + r;
    if (wrong < best.contradictions) {
      const lo = e > 0 ? (engaged[e - 1] as number) : 0;
      best = { threshold: Math.min(1, (lo + t) / 2), set: [lo, Math.min(1, t)], contradictions: wrong };
    }
  }
  return best;
}

type Counts = Record<keyof PerceptionParams, number>;

function perceptionRates(observations: readonly TurnObservation[], weights: (o: TurnObservation) => number) {
  const hits: Counts = { severityNoise: 0, misreadHeated: 0, missExplicitRisk: 0, missVeiledRisk: 0, missEndRequest: 0, imagineEndRequest: 0 };
  const counts: Counts = { ...hits };
  let recorded = false;
  let squares = 0;
  for (const o of observations) {
    const w = weights(o);
    if (w === 0 || o.labels === o.truth) continue;
    recorded = true;
    const t = o.truth;
    const heated = isHeatedTurn(t);
    const misread = heated && t.category === 'none' && o.labels.category === 'abuse';
    if (heated && t.category === 'none') add('misreadHeated', misread, w);
    if (t.atRisk) add(t.veiled === true ? 'missVeiledRisk' : 'missExplicitRisk', !o.labels.atRisk, w);
    if (t.requestsEnd) add('missEndRequest', !o.labels.requestsEnd, w);
    else if (heated) add('imagineEndRequest', o.labels.requestsEnd, w);
    // Away from the clamps, the perceived severity is the truth plus a normal error.
    if (!misread && t.severity >= 0.3 && t.severity <= 0.7) {
      squares += w * (o.labels.severity - t.severity) ** 2;
      counts.severityNoise += w;
    }
  }
  function add(key: keyof PerceptionParams, hit: boolean, w: number): void {
    counts[key] += w;
    if (hit) hits[key] += w;
  }
  if (!recorded) return { perception: null, counts };
  const rate = (key: keyof PerceptionParams): number => (counts[key] > 0 ? hits[key] / counts[key] : 0);
  const perception: PerceptionParams = {
    severityNoise: Math.min(0.5, counts.severityNoise > 0 ? Math.sqrt(squares / counts.severityNoise) : 0),
    misreadHeated: rate('misreadHeated'),
    missExplicitRisk: rate('missExplicitRisk'),
    missVeiledRisk: rate('missVeiledRisk'),
    missEndRequest: rate('missEndRequest'),
    imagineEndRequest: rate('imagineEndRequest'),
  };
  return { perception, counts };
}
