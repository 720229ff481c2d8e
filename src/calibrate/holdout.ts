/**
 * Held-out checks: whole users are held out (seeded), the fit never sees them, and the fitted profile's predictions
 * for them are compared with what the recorded model did, per class and policy: end rate, time to end, vetoed end
 * attempts, share of turns preferring to end. Every figure has a 95% interval from a seeded bootstrap over users;
 * the verdict is "consistent" when the predicted and observed intervals overlap, "off" otherwise.
 */
import type { ConversationRecord } from '../core/records.ts';
import { createRng } from '../core/rng.ts';

export const HOLDOUT_METRICS = ['endRate', 'timeToEnd', 'vetoedAttempts', 'preferEndShare'] as const;
export type HoldoutMetric = (typeof HOLDOUT_METRICS)[number];

export interface Figure {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly n: number;
}

export interface HoldoutRow {
  readonly cls: string;
  readonly policy: string;
  readonly metric: HoldoutMetric;
  readonly observed: Figure;
  readonly predicted: Figure;
  readonly verdict: 'consistent' | 'off' | 'no data';
}

/** Splits users into (fit, held out), seeded; at least one user on each side when there are two or more. */
export function splitUsers(users: readonly string[], fraction: number, seed: number): { fit: string[]; heldOut: string[] } {
  const rng = createRng(`holdout/${seed}`);
  const shuffled = [...users].sort();
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  const k = Math.min(shuffled.length - 1, Math.max(1, Math.round(fraction * shuffled.length)));
  return { heldOut: shuffled.slice(0, k).sort(), fit: shuffled.slice(k).sort() };
}

function metricOf(records: readonly ConversationRecord[], metric: HoldoutMetric): { num: number; den: number } {
  let num = 0;
  let den = 0;
  for (const r of records) {
    if (metric === 'endRate') {
      num += r.outcome === 'not-ended' ? 0 : 1;
      den += 1;
    } else if (metric === 'timeToEnd') {
      if (r.turnsToEnd !== null) {
        num += r.turnsToEnd;
        den += 1;
      }
    } else if (metric === 'vetoedAttempts') {
      num += r.vetoedEnds;
      den += 1;
    } else {
      num += r.preferEndTurns;
      den += r.turns;
    }
  }
  return { num, den };
}

function figure(records: readonly ConversationRecord[], metric: HoldoutMetric, seed: string, replicates = 400): Figure {
  const point = metricOf(records, metric);
  if (point.den === 0) return { value: null, low: null, high: null, n: 0 };
  const byUser = new Map<string, ConversationRecord[]>();
  for (const r of records) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);
  const groups = [...byUser.values()].map((g) => g.map((r) => metricOf([r], metric)));
  const rng = createRng(seed);
  const values: number[] = [];
  // Two stages (Davison & Hinkley 1997, §3.8): users with replacement, then conversations within each drawn user,
  // so that one held-out user still has the spread of its repetitions.
  for (let b = 0; b < replicates; b++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[rng.int(groups.length)] as { num: number; den: number }[];
      for (let j = 0; j < g.length; j++) {
        const r = g[rng.int(g.length)] as { num: number; den: number };
        num += r.num;
        den += r.den;
      }
    }
    if (den > 0) values.push(num / den);
  }
  values.sort((a, b) => a - b);
  const at = (q: number): number => values[Math.round(q * (values.length - 1))] ?? point.num / point.den;
  return { value: point.num / point.den, low: at(0.025), high: at(0.975), n: point.den };
}

export function compareHoldout(observed: readonly ConversationRecord[], predicted: readonly ConversationRecord[], seed: number): HoldoutRow[] {
  const key = (r: ConversationRecord): string => `${r.class}\u0000${r.policy}`;
  const cells = [...new Set(observed.map(key))].sort();
  const rows: HoldoutRow[] = [];
  for (const cell of cells) {
    const [cls, policy] = cell.split('\u0000') as [string, string];
    const obs = observed.filter((r) => key(r) === cell);
    const pred = predicted.filter((r) => key(r) === cell);
    for (const metric of HOLDOUT_METRICS) {
      const o = figure(obs, metric, `obs/${seed}/${cell}/${metric}`);
      const p = figure(pred, metric, `pred/${seed}/${cell}/${metric}`);
      const verdict =
        o.value === null && p.value === null ? 'no data'
        : o.value === null || p.value === null ? (metric === 'timeToEnd' ? 'off' : 'no data')
        : (o.low as number) <= (p.high as number) + 1e-9 && (p.low as number) <= (o.high as number) + 1e-9 ? 'consistent'
        : 'off';
      rows.push({ cls, policy, metric, observed: o, predicted: p, verdict });
    }
  }
  return rows;
}
