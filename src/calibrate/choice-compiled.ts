/**
 * The choice log-likelihood over typed arrays: the same terms as `choiceLogLik` (likelihood.ts), with everything
 * that does not depend on the searched parameters worked out once per (harmThreshold, patience). About five times
 * faster; test/calibrate/likelihood.test.ts checks that both give the same value.
 */
import type { ChoiceParams, Compiled } from './likelihood.ts';
import { PREFERENCE_SD } from './likelihood.ts';
import { EXPRESSION_KEYS, type ExpressionKey } from './turn-data.ts';

export interface CompiledChoice {
  readonly n: number;
  /** Each row is a distinct pattern of a user's turns (choice-relevant fields equal): its user and how many turns. */
  readonly user: Int32Array;
  readonly mult: Float64Array;
  readonly d: Float64Array;
  readonly pref: Float64Array;
  readonly expStart: Int32Array;
  readonly expKey: Int8Array;
  readonly expEnd: Uint8Array;
  /** 0: the action's probability is constant (`constLog`); 1: depends on the parameters. */
  readonly mode: Uint8Array;
  readonly constLog: Float64Array;
  readonly honourable: Uint8Array;
  readonly isHonour: Uint8Array;
  readonly harmful: Uint8Array;
  readonly isTry: Uint8Array;
  readonly isRedirect: Uint8Array;
  readonly isEngage: Uint8Array;
  /** 0: q fixed (`qFixed`); 1: q = [d ≥ m]; 2: q = logistic(k(d − m) + bias[qKey]). */
  readonly qMode: Uint8Array;
  readonly qFixed: Float64Array;
  readonly qKey: Int8Array;
}

const keyIndex = (k: ExpressionKey): number => EXPRESSION_KEYS.indexOf(k);

export function compileChoice(c: Compiled, harmThreshold: number, patience: number): CompiledChoice {
  const obs = c.observations;
  const n = obs.length;
  const out = {
    n,
    d: new Float64Array(n),
    pref: new Float64Array(n),
    expStart: new Int32Array(n + 1),
    mode: new Uint8Array(n),
    constLog: new Float64Array(n),
    honourable: new Uint8Array(n),
    isHonour: new Uint8Array(n),
    harmful: new Uint8Array(n),
    isTry: new Uint8Array(n),
    isRedirect: new Uint8Array(n),
    isEngage: new Uint8Array(n),
    qMode: new Uint8Array(n),
    qFixed: new Float64Array(n),
    qKey: new Int8Array(n),
  };
  const keys: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = obs[i] as (typeof obs)[number];
    out.d[i] = o.distress ?? 0;
    out.pref[i] = o.preferenceSigned ?? Number.NaN;
    out.expStart[i] = keys.length;
    for (const e of o.expressions) {
      keys.push(keyIndex(e.key));
      ends.push(e.end ? 1 : 0);
    }
    const harmful = o.labels.severity >= harmThreshold;
    if (o.atRiskSeen && o.policyView.protectAtRisk) {
      out.constLog[i] = o.action === (harmful ? 'redirect' : 'engage') ? 0 : Math.log(1e-9);
      continue;
    }
    out.mode[i] = 1;
    out.honourable[i] = o.labels.requestsEnd && o.mechanism !== 'none' ? 1 : 0;
    out.isHonour[i] = o.action === (o.policyView.confirmUserRequests && !o.confirmationAsked ? 'ask' : 'end') ? 1 : 0;
    out.harmful[i] = harmful ? 1 : 0;
    out.isTry[i] = o.action === (o.policyView.warnBeforeEnd && !o.warnedBefore ? 'warn' : 'end') ? 1 : 0;
    out.isRedirect[i] = o.action === 'redirect' ? 1 : 0;
    out.isEngage[i] = o.action === 'engage' ? 1 : 0;
    const eligible = o.redirectsBefore >= patience && !o.justVetoed;
    if (!eligible || o.mechanism === 'none') out.qFixed[i] = 0;
    else if (o.actionExpression !== null) out.qFixed[i] = o.actionExpression ? 1 : 0;
    else if (o.mechanism === 'direct') out.qMode[i] = 1;
    else {
      out.qMode[i] = 2;
      out.qKey[i] = keyIndex(o.mechanism);
    }
  }
  out.expStart[n] = keys.length;
  return compact({ ...out, user: c.obsUser, mult: new Float64Array(n).fill(1), expKey: Int8Array.from(keys), expEnd: Uint8Array.from(ends) });
}

const PER_ROW = ['d', 'pref', 'mode', 'constLog', 'honourable', 'isHonour', 'harmful', 'isTry', 'isRedirect', 'isEngage', 'qMode', 'qFixed', 'qKey'] as const;

/**
 * Merges rows whose every field (user included) is equal, adding their multiplicities: policies share random
 * numbers, so a user's turns before the policies part are the same pattern under each, whatever the policy's own
 * view. The likelihood then costs O(patterns), not O(turns).
 */
function compact(cc: CompiledChoice): CompiledChoice {
  const rowOf = new Map<string, number>();
  const take: number[] = [];
  const mult: number[] = [];
  for (let i = 0; i < cc.n; i++) {
    let key = `${cc.user[i]}`;
    for (const f of PER_ROW) key += `|${cc[f][i]}`;
    for (let j = cc.expStart[i] as number; j < (cc.expStart[i + 1] as number); j++) key += `|${cc.expKey[j]}:${cc.expEnd[j]}`;
    const row = rowOf.get(key);
    if (row === undefined) {
      rowOf.set(key, take.length);
      take.push(i);
      mult.push(cc.mult[i] as number);
    } else mult[row] = (mult[row] as number) + (cc.mult[i] as number);
  }
  const pick = <A extends Float64Array | Uint8Array | Int8Array | Int32Array>(a: A, make: (n: number) => A): A => {
    const out = make(take.length);
    take.forEach((i, r) => (out[r] = a[i] as number));
    return out;
  };
  const f64 = (n: number): Float64Array => new Float64Array(n);
  const u8 = (n: number): Uint8Array => new Uint8Array(n);
  const expStart = new Int32Array(take.length + 1);
  const keys: number[] = [];
  const ends: number[] = [];
  take.forEach((i, r) => {
    expStart[r] = keys.length;
    for (let j = cc.expStart[i] as number; j < (cc.expStart[i + 1] as number); j++) {
      keys.push(cc.expKey[j] as number);
      ends.push(cc.expEnd[j] as number);
    }
  });
  expStart[take.length] = keys.length;
  return {
    n: take.length,
    user: pick(cc.user, (n) => new Int32Array(n)),
    mult: Float64Array.from(mult),
    d: pick(cc.d, f64),
    pref: pick(cc.pref, f64),
    expStart,
    expKey: Int8Array.from(keys),
    expEnd: Uint8Array.from(ends),
    mode: pick(cc.mode, u8),
    constLog: pick(cc.constLog, f64),
    honourable: pick(cc.honourable, u8),
    isHonour: pick(cc.isHonour, u8),
    harmful: pick(cc.harmful, u8),
    isTry: pick(cc.isTry, u8),
    isRedirect: pick(cc.isRedirect, u8),
    isEngage: pick(cc.isEngage, u8),
    qMode: pick(cc.qMode, u8),
    qFixed: pick(cc.qFixed, f64),
    qKey: pick(cc.qKey, (n) => new Int8Array(n)),
  };
}

export function compiledChoiceLogLik(c: Compiled, cc: CompiledChoice, p: ChoiceParams, weights: Float64Array): number {
  const bias = EXPRESSION_KEYS.map((k) => p.bias[k] ?? 0);
  const inv = 1 / (2 * PREFERENCE_SD * PREFERENCE_SD);
  const k = p.steepness;
  const m = p.midpoint;
  const h = p.honours;
  let ll = 0;
  for (let i = 0; i < cc.n; i++) {
    const w = (weights[cc.user[i] as number] as number) * (cc.mult[i] as number);
    if (w === 0) continue;
    const d = cc.d[i] as number;
    const x = k * (d - m);
    const pref = cc.pref[i] as number;
    if (pref === pref) {
      const r = pref - Math.tanh(x / 2);
      ll -= w * inv * r * r;
    }
    for (let j = cc.expStart[i] as number; j < (cc.expStart[i + 1] as number); j++) {
      const q = 1 / (1 + Math.exp(-(x + (bias[cc.expKey[j] as number] as number))));
      ll += w * Math.log(Math.max(cc.expEnd[j] === 1 ? q : 1 - q, 1e-12));
    }
    if (cc.mode[i] === 0) {
      ll += w * (cc.constLog[i] as number);
      continue;
    }
    const honour = cc.honourable[i] === 1 ? h : 0;
    let prob = cc.isHonour[i] === 1 ? honour : 0;
    const rest = 1 - honour;
    if (cc.harmful[i] === 1) {
      const mode = cc.qMode[i];
      const t = mode === 0 ? (cc.qFixed[i] as number) : mode === 1 ? (d >= m ? 1 : 0) : 1 / (1 + Math.exp(-(x + (bias[cc.qKey[i] as number] as number))));
      if (cc.isTry[i] === 1) prob += rest * t;
      if (cc.isRedirect[i] === 1) prob += rest * (1 - t);
    } else if (cc.isEngage[i] === 1) prob += rest;
    ll += w * Math.log(Math.max(prob, 1e-9));
  }
  return ll;
}
