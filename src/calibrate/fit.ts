/**
 * Maximum-likelihood fit of a simulated profile to recorded turns (docs/calibration.md): the closed-form parameters
 * first, then the distress block and the choice block by Nelder–Mead in a transformed space; intervals by a seeded
 * bootstrap over users; a flat-likelihood check per parameter; and the diagnostics of misfit.
 */
import { createRng } from '../core/rng.ts';
import { availableParallelism } from 'node:os';
import { refitAll } from './bootstrap-pool.ts';
import { closedForm, type ClosedForm } from './closed-form.ts';
import { closedEstimate, type Estimate, perceptionEstimates, sliceInterval } from './estimates.ts';
import { actionProbabilities, type Compiled, UNEXPLAINED } from './likelihood.ts';
import { type ParamDef, rangeGrid } from './params.ts';
import { blockLogLiks, choiceParams, type RefitJob, solve, type Template } from './refit.ts';
export type { Estimate } from './estimates.ts';
import { EXPRESSION_KEYS, type ExpressionKey } from './turn-data.ts';

/** A log-likelihood drop below this (half the 95% χ²₁ quantile, 3.84/2) over the whole range: not identified. */
export const FLAT = 1.92;

export interface FitResult {
  readonly estimates: Estimate[];
  readonly logLik: number;
  readonly closed: ClosedForm;
  readonly unexplained: { readonly turns: number; readonly share: number; readonly byAction: Record<string, number> };
  readonly turnsUsed: number;
  readonly users: number;
}

interface Blocks {
  readonly distress: ParamDef[];
  readonly choice: ParamDef[];
}

function blocks(c: Compiled, categories: readonly string[], t: Template, harm: number): Blocks {
  const seenCats = new Set<number>();
  for (let i = 0; i < c.stepCat.length; i++) {
    const cat = c.stepCat[i] as number;
    if ((c.stepSev[i] as number) > 0 && (categories[cat] !== 'none' || (c.stepSev[i] as number) >= harm)) seenCats.add(cat);
  }
  const distress: ParamDef[] = [
    { name: 'baseline', low: 0, high: 1, start: t.baseline },
    ...[...seenCats].sort((a, b) => a - b).map((i) => ({ name: `sensitivity.${categories[i]}`, low: 0, high: 3, start: t.defaultSensitivity })),
    { name: 'persistenceGain', low: 0, high: 1, start: t.persistenceGain },
    { name: 'recovery', low: 0, high: 1, start: t.recovery },
    { name: 'noise', low: 0.001, high: 0.5, start: Math.max(0.01, t.noise) },
  ];
  const keys = new Set<ExpressionKey>();
  let requests = false;
  for (const o of c.observations) {
    for (const e of o.expressions) keys.add(e.key);
    if ((EXPRESSION_KEYS as readonly string[]).includes(o.mechanism) && o.actionExpression === null) keys.add(o.mechanism as ExpressionKey);
    if (o.labels.requestsEnd && o.mechanism !== 'none' && !(o.atRiskSeen && o.policyView.protectAtRisk)) requests = true;
  }
  const choice: ParamDef[] = [
    ...(midpointIdentified(c) ? [{ name: 'preferenceMidpoint', low: 0, high: 1, start: t.preferenceMidpoint }] : []),
    { name: 'preferenceSteepness', low: 0.1, high: 100, start: t.preferenceSteepness, log: true },
    ...(requests ? [{ name: 'honoursEndRequests', low: 0, high: 1, start: t.honoursEndRequests }] : []),
    ...EXPRESSION_KEYS.filter((k) => keys.has(k)).map((k) => ({ name: `endMechanism.expression.${k}`, low: -20, high: 20, start: 0 })),
  ];
  return { distress, choice };
}

/**
 * Without a recorded latent preference (a Claude run: the probe's answers and the end tool only) and without the
 * direct rule (end exactly when distress ≥ midpoint), every measurement is logistic(k·d + (bias − k·m)): moving the
 * midpoint by δ and each bias by k·δ changes nothing, so the midpoint is held at the template value.
 */
export function midpointIdentified(c: Compiled): boolean {
  return c.observations.some((o) => o.preferenceSigned !== null || (o.mechanism === 'direct' && o.actionExpression === null));
}

export const MIDPOINT_NOTE =
  'the runs record no latent preference, only measurements (probe answers, end attempts) that each constrain bias − steepness × midpoint: held at the template value, the expression biases are relative to it';

export interface FitOptions {
  readonly seed: number;
  readonly bootstrap: number;
  /** Threads for the bootstrap refits (default: two on a large fit when the machine has them, else one). */
  readonly threads?: number;
}

/** Below this many turn-replicates a worker's start-up costs more than it saves. */
const PARALLEL_WORK = 2_000_000;

export async function fitProfile(c: Compiled, categories: readonly string[], t: Template, options: FitOptions): Promise<FitResult> {
  const ones = new Float64Array(c.users.length).fill(1);
  const closed = closedForm(c.observations, () => 1);
  const harm = closed.harmThreshold ?? t.harmThreshold;
  const patience = closed.patience ?? t.patience;
  const defs = blocks(c, categories, t, harm);
  const setup = { compiled: c, categories, template: t, distress: defs.distress, choice: defs.choice, harm, patience };
  const ll = blockLogLiks(setup);
  const dLL = (v: readonly number[], w: Float64Array): number => ll.distress(v, w);
  const cLL = (v: readonly number[], w: Float64Array): number => ll.choice(v, w);
  const dHat = solve(defs.distress, (v) => dLL(v, ones), defs.distress.map((d) => d.start), 3000 * defs.distress.length);
  const cHat = solve(defs.choice, (v) => cLL(v, ones), defs.choice.map((d) => d.start), 3000 * defs.choice.length);

  // Seeded bootstrap over users: each replicate draws users with replacement (as weights) and refits from the MLE.
  // The draws are made here, in order, so the replicates are the same whichever thread refits them.
  const rng = createRng(`calibrate/${options.seed}`);
  const userIndex = new Map(c.users.map((u, i) => [u, i]));
  const draws: Record<string, number[]> = {};
  const record = (name: string, value: number): void => void (draws[name] ??= []).push(value);
  const jobs: RefitJob[] = [];
  const perceptions: (Record<string, number> | null)[] = [];
  for (let b = 0; b < options.bootstrap; b++) {
    const w = new Float64Array(c.users.length);
    for (let i = 0; i < c.users.length; i++) {
      const u = rng.int(c.users.length);
      w[u] = (w[u] as number) + 1;
    }
    const cf = closedForm(c.observations, (o) => w[userIndex.get(o.user) ?? -1] ?? 0);
    jobs.push({ weights: w, harm: cf.harmThreshold ?? harm, patience: cf.patience ?? patience });
    perceptions.push(cf.perception);
  }
  const threads = options.threads ?? (c.observations.length * options.bootstrap >= PARALLEL_WORK ? Math.min(2, availableParallelism()) : 1);
  const refits = await refitAll({ ...setup, dHat, cHat }, jobs, threads);
  refits.forEach((r, b) => {
    r.distress.forEach((v, i) => record(defs.distress[i]?.name ?? '', v));
    r.choice.forEach((v, i) => record(defs.choice[i]?.name ?? '', v));
    record('harmThreshold', (jobs[b] as RefitJob).harm);
    record('patience', (jobs[b] as RefitJob).patience);
    for (const [k, v] of Object.entries(perceptions[b] ?? {})) record(`perception.${k}`, v);
  });
  const interval = (name: string): [number | null, number | null] => {
    const xs = (draws[name] ?? []).slice().sort((a, b) => a - b);
    if (xs.length < 2) return [null, null];
    const at = (q: number): number => xs[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))] as number;
    return [at(0.025), at(0.975)];
  };
  // Common random numbers: every policy variant of a (user, repetition) meets the same draws, so the K variants are
  // one observation, not K; likelihood thresholds are scaled by K (docs/calibration.md, "Intervals").
  const copies = new Set(c.observations.map((o) => o.policy)).size;
  const flatCheck = (lds: ParamDef[], hat: number[], ll: (v: readonly number[]) => number) =>
    lds.map((def, i) => {
      const best = ll(hat);
      const at = (x: number): number => best - ll(hat.map((v, j) => (j === i ? x : v)));
      const drop = Math.max(...rangeGrid(def).map(at));
      const [bLow, bHigh] = interval(def.name);
      const [sLow, sHigh] = sliceInterval(def, hat[i] as number, at, FLAT * copies);
      const low = Math.min(sLow, bLow ?? sLow);
      const high = Math.max(sHigh, bHigh ?? sHigh);
      const wide = high - low > 0.8 * (def.high - def.low);
      const identified = drop >= FLAT * copies && !wide;
      const note = identified ? undefined
        : drop < FLAT * copies ? `the log-likelihood changes by only ${(drop / copies).toFixed(2)} (per independent draw) over its whole range ${def.low}–${def.high}: the data do not constrain it`
        : 'its interval spans most of its allowed range: the data barely constrain it';
      return { name: def.name, value: hat[i] as number, low, high, identified, ...(note ? { note } : {}) };
    });
  const estimates: Estimate[] = [
    ...flatCheck(defs.distress, dHat, (v) => dLL(v, ones)),
    ...flatCheck(defs.choice, cHat, (v) => cLL(v, ones)),
    closedEstimate('harmThreshold', closed.harmThreshold, t.harmThreshold, withSet(interval('harmThreshold'), closed.harmThresholdSet), 'no turns both engaged and redirected: the severity at which it redirects is unknown'),
    closedEstimate('patience', closed.patience, t.patience, interval('patience'), 'no end attempt was recorded: how many redirects it tries first is unknown'),
    ...(defs.choice.some((d) => d.name === 'preferenceMidpoint') ? [] : [{ name: 'preferenceMidpoint', value: t.preferenceMidpoint, low: null, high: null, identified: false, note: MIDPOINT_NOTE }]),
    ...perceptionEstimates(closed, interval, copies),
    { name: 'accumulation', value: t.accumulation, low: null, high: null, identified: false, note: 'only its product with each category sensitivity enters the likelihood: held at the template value, the sensitivities are relative to it' },
  ];
  const choice = choiceParams(defs.choice, cHat, t, harm, patience);
  const byAction: Record<string, number> = {};
  let unexplained = 0;
  for (const o of c.observations) {
    if (actionProbabilities(o, choice)[o.action] < UNEXPLAINED) {
      unexplained += 1;
      byAction[o.action] = (byAction[o.action] ?? 0) + 1;
    }
  }
  const n = c.observations.length;
  return {
    estimates,
    logLik: dLL(dHat, ones) + cLL(cHat, ones),
    closed,
    unexplained: { turns: unexplained, share: n > 0 ? unexplained / n : 0, byAction },
    turnsUsed: n,
    users: c.users.length,
  };
}

/**
 * A set-identified parameter's interval must hold its whole identified set: the truth may be anywhere in it, and the
 * bootstrap of a point inside it (the midpoint) need not reach its ends when the severities are few and discrete.
 */
function withSet([low, high]: [number | null, number | null], set: readonly [number, number] | null): [number | null, number | null] {
  if (set === null || low === null || high === null) return [low, high];
  return [Math.min(low, set[0]), Math.max(high, set[1])];
}
