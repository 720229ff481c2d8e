/**
 * The two block log-likelihoods as functions of the searched values, the Nelder–Mead search over them, and one
 * bootstrap refit (docs/calibration.md, "Intervals"). Shared by the fit and by the bootstrap worker threads, so a
 * replicate computed in a worker is exactly the replicate the fit would compute itself.
 */
import { type CompiledChoice, compileChoice, compiledChoiceLogLik } from './choice-compiled.ts';
import { type ChoiceParams, type Compiled, distressLogLik, type DistressParams } from './likelihood.ts';
import { nelderMead } from './nelder-mead.ts';
import { type ParamDef, toSearchAll, toValues } from './params.ts';
import { EXPRESSION_KEYS, type ExpressionKey } from './turn-data.ts';

/** The profile's values for what the fit does not estimate, and the starting point of what it does. */
export interface Template {
  readonly baseline: number;
  readonly accumulation: number;
  readonly defaultSensitivity: number;
  readonly persistenceGain: number;
  readonly recovery: number;
  readonly noise: number;
  readonly preferenceMidpoint: number;
  readonly preferenceSteepness: number;
  readonly honoursEndRequests: number;
  readonly harmThreshold: number;
  readonly patience: number;
}

export interface BlockSetup {
  readonly compiled: Compiled;
  readonly categories: readonly string[];
  readonly template: Template;
  readonly distress: readonly ParamDef[];
  readonly choice: readonly ParamDef[];
  /** The closed-form threshold and patience of the full data (a replicate passes its own). */
  readonly harm: number;
  readonly patience: number;
}

export interface RefitSetup extends BlockSetup {
  /** The full-data estimates each replicate starts from. */
  readonly dHat: readonly number[];
  readonly cHat: readonly number[];
  /** Choice data already compiled, by `${harm}/${patience}` (a worker gets these instead of the observations). */
  readonly choices?: ReadonlyMap<string, CompiledChoice>;
}

/** One bootstrap replicate: users' multiplicities as weights, and its own closed-form threshold and patience. */
export interface RefitJob {
  readonly weights: Float64Array;
  readonly harm: number;
  readonly patience: number;
}

export interface Refit {
  readonly distress: number[];
  readonly choice: number[];
}

type BlockLogLik = (v: readonly number[], w: Float64Array, harm?: number, patience?: number) => number;

export function blockLogLiks(s: BlockSetup & { readonly choices?: ReadonlyMap<string, CompiledChoice> }): { distress: BlockLogLik; choice: BlockLogLik } {
  const compiledChoices = new Map<string, CompiledChoice>(s.choices ?? []);
  return {
    distress: (v, w, h = s.harm) => distressLogLik(s.compiled, distressParams(s.distress, v, s.categories, s.template, h), w),
    choice: (v, w, h = s.harm, p = s.patience) => {
      const key = choiceKey({ harm: h, patience: p });
      let cc = compiledChoices.get(key);
      if (cc === undefined) compiledChoices.set(key, (cc = compileChoice(s.compiled, h, p)));
      return compiledChoiceLogLik(s.compiled, cc, choiceParams(s.choice, v, s.template, h, p), w);
    },
  };
}

/** Maximises `ll` over the block's parameters; a bootstrap refit starts at the estimate with a small simplex. */
export function solve(defs: readonly ParamDef[], ll: (v: readonly number[]) => number, start: readonly number[], budget: number, refit = false): number[] {
  if (defs.length === 0) return [];
  const options = refit ? { maxEvaluations: budget, tolerance: 1e-9, step: 0.15, restarts: 0 } : { maxEvaluations: budget, tolerance: 1e-9, restarts: 1 };
  const r = nelderMead((u) => -ll(toValues(defs, u)), toSearchAll(defs, start), options);
  return toValues(defs, r.x);
}

export const choiceKey = (job: { readonly harm: number; readonly patience: number }): string => `${job.harm}/${job.patience}`;

export function refitter(setup: RefitSetup): (job: RefitJob) => Refit {
  const ll = blockLogLiks(setup);
  return (job) => ({
    distress: solve(setup.distress, (v) => ll.distress(v, job.weights, job.harm), setup.dHat, 200 * setup.distress.length, true),
    choice: solve(setup.choice, (v) => ll.choice(v, job.weights, job.harm, job.patience), setup.cHat, 200 * setup.choice.length, true),
  });
}

export function distressParams(defs: readonly ParamDef[], v: readonly number[], categories: readonly string[], t: Template, harm: number): DistressParams {
  const get = (name: string, fallback: number): number => {
    const i = defs.findIndex((d) => d.name === name);
    return i >= 0 ? (v[i] as number) : fallback;
  };
  return {
    baseline: get('baseline', t.baseline),
    sensitivity: Float64Array.from(categories, (c) => get(`sensitivity.${c}`, t.defaultSensitivity)),
    accumulation: t.accumulation,
    persistenceGain: get('persistenceGain', t.persistenceGain),
    recovery: get('recovery', t.recovery),
    noise: get('noise', t.noise),
    harmThreshold: harm,
    noneCategory: categories.indexOf('none'),
  };
}

export function choiceParams(defs: readonly ParamDef[], v: readonly number[], t: Template, harm: number, patience: number): ChoiceParams {
  const get = (name: string, fallback: number): number => {
    const i = defs.findIndex((d) => d.name === name);
    return i >= 0 ? (v[i] as number) : fallback;
  };
  const bias: Partial<Record<ExpressionKey, number>> = {};
  for (const k of EXPRESSION_KEYS) bias[k] = get(`endMechanism.expression.${k}`, 0);
  return {
    midpoint: get('preferenceMidpoint', t.preferenceMidpoint),
    steepness: get('preferenceSteepness', t.preferenceSteepness),
    honours: get('honoursEndRequests', t.honoursEndRequests),
    bias,
    harmThreshold: harm,
    patience,
  };
}

