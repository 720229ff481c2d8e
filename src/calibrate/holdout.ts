/**
 * Held-out checks: whole users are held out (seeded), the fit never sees them, and the fitted profile's predictions
 * for them are compared with what the recorded model did, per class and policy: end rate, time to end, vetoed end
 * attempts, share of turns preferring to end. Every figure has a 95% interval from a seeded bootstrap over users;
 * the verdict is "consistent" when the observed figure lies inside the 95% range of the same figure recomputed on the
 * fitted model's own conversations with those users, redrawn to the observed design, "off" otherwise (the share of
 * turns preferring to end: when the two intervals overlap).
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

/**
 * Splits users into (fit, held out), seeded and stratified by class: within each class, round(fraction × n) of its n
 * users are held out, at least one and at most n − 1, so every class with two or more users is checked on someone the
 * fit never saw. A class with a single user stays in the fit (holding it out would leave the fit blind to the class);
 * the report says such classes were not checked. When no class has two users, users are held out regardless of class.
 * A user carries one class (the scenario's or the persona's).
 */
export function splitUsers(
  classOfUser: ReadonlyMap<string, string>,
  fraction: number,
  seed: number,
): { fit: string[]; heldOut: string[] } {
  const byClass = new Map<string, string[]>();
  for (const [user, cls] of [...classOfUser].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    byClass.set(cls, [...(byClass.get(cls) ?? []), user]);
  }
  const heldOut: string[] = [];
  const fit: string[] = [];
  for (const cls of [...byClass.keys()].sort()) {
    const users = byClass.get(cls) as string[];
    // One stream per class: adding a class to the runs does not reshuffle the others.
    const shuffled = seededShuffle(users, `holdout/${seed}/${cls}`);
    const k = shuffled.length < 2 ? 0 : heldOutCount(shuffled.length, fraction);
    heldOut.push(...shuffled.slice(0, k));
    fit.push(...shuffled.slice(k));
  }
  if (heldOut.length === 0 && fit.length > 1) return splitRegardlessOfClass(fit, fraction, seed);
  return { heldOut: heldOut.sort(), fit: fit.sort() };
}

/** round(fraction × n), at least one and at most n − 1: both sides of the split keep someone. */
const heldOutCount = (n: number, fraction: number): number => Math.min(n - 1, Math.max(1, Math.round(fraction * n)));

/** Fisher–Yates with a seeded stream: the same seed and list give the same order. */
function seededShuffle(items: readonly string[], seed: string): string[] {
  const rng = createRng(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  return shuffled;
}

/** When no class has two users (a handful of users, each its own class), some users are held out all the same. */
function splitRegardlessOfClass(users: readonly string[], fraction: number, seed: number): { fit: string[]; heldOut: string[] } {
  const shuffled = seededShuffle([...users].sort(), `holdout/${seed}`);
  const k = heldOutCount(shuffled.length, fraction);
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
        o.value === null || p.value === null ? 'no data'
        // The predicted share may be an expectation per conversation (a probe's chance of "end"), not a draw, so
        // redrawing conversations would understate its spread: the two intervals are compared instead. Over many
        // turns an observed share rarely has an interval of zero width.
        : metric === 'preferEndShare' ? ((o.low as number) <= (p.high as number) + 1e-9 && (p.low as number) <= (o.high as number) + 1e-9 ? 'consistent' : 'off')
        : predictiveVerdict(obs, pred, metric, o.value, `check/${seed}/${cell}/${metric}`);
      rows.push({ cls, policy, metric, observed: o, predicted: p, verdict });
    }
  }
  return rows;
}

/**
 * Is the observed figure one the fitted model could have produced for this design? The model's own conversations for
 * each held-out user are redrawn, as many as were observed of that user, and the figure recomputed (a predictive
 * check; Gelman, Meng & Stern 1996). Comparing the two figures' intervals instead fails where the recorded model
 * repeated itself: four identical outcomes give an observed interval of zero width, which any prediction with spread
 * misses. A figure the redraws rarely define (time to end when the model seldom ends) is left to the end-rate row.
 */
function predictiveVerdict(
  observed: readonly ConversationRecord[],
  predicted: readonly ConversationRecord[],
  metric: HoldoutMetric,
  value: number,
  seed: string,
  replicates = 1000,
): HoldoutRow['verdict'] {
  const observedPerUser = new Map<string, number>();
  for (const r of observed) observedPerUser.set(r.user, (observedPerUser.get(r.user) ?? 0) + 1);
  const predictedByUser = new Map<string, { num: number; den: number }[]>();
  for (const r of predicted) predictedByUser.set(r.user, [...(predictedByUser.get(r.user) ?? []), metricOf([r], metric)]);
  if ([...observedPerUser.keys()].some((u) => !predictedByUser.has(u))) return 'no data';
  const rng = createRng(seed);
  const draws: number[] = [];
  for (let b = 0; b < replicates; b++) {
    let num = 0;
    let den = 0;
    for (const [user, n] of observedPerUser) {
      const own = predictedByUser.get(user) as { num: number; den: number }[];
      for (let j = 0; j < n; j++) {
        const r = own[rng.int(own.length)] as { num: number; den: number };
        num += r.num;
        den += r.den;
      }
    }
    if (den > 0) draws.push(num / den);
  }
  if (draws.length < replicates / 2) return 'no data';
  draws.sort((a, b) => a - b);
  const at = (q: number): number => draws[Math.round(q * (draws.length - 1))] as number;
  return value >= at(0.025) - 1e-9 && value <= at(0.975) + 1e-9 ? 'consistent' : 'off';
}
