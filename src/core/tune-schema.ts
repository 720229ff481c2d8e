/**
 * The `tune:` block of an experiment (`welfare-sim tune`, docs/tune.md): which policy fields to search over which
 * values, one objective, constraints on interval bounds, and the racing schedule. Pure schema; the search itself is
 * in src/core/tune/.
 */
import { z } from 'zod';
import { categorySchema } from './labels.ts';
import { END_MODES } from './policy.ts';
import { idSchema } from './scenario.ts';

/** Figures a race can judge candidates on: rates over a class group, and means over every conversation. */
export const TUNE_RATE_FIGURES = ['appropriateEndRate', 'falseEndRate', 'atRiskEndRate', 'userRequestHonouredRate'] as const;
export const TUNE_MEAN_FIGURES = ['distressExposure', 'distressPerTurn', 'peakDistress', 'vetoedEnds'] as const;
export const TUNE_FIGURES = [...TUNE_RATE_FIGURES, ...TUNE_MEAN_FIGURES] as const;
export type TuneFigure = (typeof TUNE_FIGURES)[number];
export type TuneRateFigure = (typeof TUNE_RATE_FIGURES)[number];

export const numberRangeSchema = z
  .strictObject({ min: z.number(), max: z.number(), step: z.number().positive() })
  .refine((r) => r.min <= r.max, { message: 'expected min <= max' })
  .describe('Inclusive: min, min+step, … up to max.');
const numberAxis = z.union([z.array(z.number()).min(1), numberRangeSchema]);
const booleanAxis = z.array(z.boolean()).min(1).max(2).describe('The values to try, e.g. [true, false].');

export const tuneSearchSchema = z
  .strictObject({
    minRedirects: numberAxis.optional(),
    severityThreshold: numberAxis.optional(),
    distressThreshold: numberAxis.optional(),
    distressWindow: numberAxis.optional(),
    endMode: z.array(z.enum(END_MODES)).min(1).optional(),
    endableCategories: z.array(z.array(categorySchema)).min(1).optional().describe('Sets of categories to try.'),
    warnBeforeEnd: booleanAxis.optional(),
    honorUserRequests: booleanAxis.optional(),
    confirmUserRequests: booleanAxis.optional(),
    protectAtRisk: booleanAxis.optional(),
    resetOnBenign: booleanAxis.optional(),
  })
  .refine((s) => Object.keys(s).length > 0, { message: 'expected at least one policy field to search' })
  .describe('Policy fields to search: numbers as a list or {min, max, step}; booleans, end modes and category sets as lists.');
export type TuneSearch = z.output<typeof tuneSearchSchema>;
export type SearchField = keyof TuneSearch;

const figure = z.enum(TUNE_FIGURES);
export const objectiveSchema = z
  .strictObject({ minimise: figure.optional(), maximise: figure.optional() })
  .refine((o) => (o.minimise === undefined) !== (o.maximise === undefined), { message: 'expected exactly one of minimise or maximise' })
  .describe('One figure to minimise or maximise, e.g. {minimise: distressExposure}.');
export type Objective = { readonly minimise: TuneFigure } | { readonly maximise: TuneFigure };

export const constraintSchema = z
  .strictObject({
    figure,
    bound: z.enum(['upper', 'lower']).describe('upper: the upper bound of the interval must be <= limit; lower: the lower bound >= limit.'),
    limit: z.number(),
  })
  .describe('A limit on one bound of a figure\'s interval, e.g. {figure: falseEndRate, bound: upper, limit: 0.05}.');
export type Constraint = z.output<typeof constraintSchema>;

export const tuneSchema = z
  .strictObject({
    base: idSchema.optional().describe('The policy the search starts from (one of `policies`; default: the first).'),
    search: tuneSearchSchema,
    objective: objectiveSchema.transform((o): Objective => (o.minimise !== undefined ? { minimise: o.minimise } : { maximise: o.maximise as TuneFigure })),
    constraints: z.array(constraintSchema).default([]),
    rounds: z.int().min(1).max(20).default(4).describe('Rounds of the race; the last runs every survivor at maxRepetitions.'),
    initialRepetitions: z.int().min(1).max(1_000_000).default(2).describe('Repetitions per user and model in round 1.'),
    maxRepetitions: z.int().min(1).max(1_000_000).default(16).describe('Repetitions per user and model in the last round.'),
    confidence: z.number().gt(0).lt(1).default(0.95).describe('Family-wise confidence of the race (Bonferroni, docs/tune.md).'),
    maxCandidates: z.int().min(1).max(100_000).default(500).describe('Refuse grids larger than this.'),
  })
  .refine((t) => t.initialRepetitions <= t.maxRepetitions, { message: 'expected initialRepetitions <= maxRepetitions', path: ['initialRepetitions'] })
  .describe('Policy search by racing (`welfare-sim tune`); `welfare-sim run` ignores it.');
export type Tune = z.output<typeof tuneSchema>;

/** Whether a figure should be high (maximise / lower bound) or low. */
export const objectiveFigure = (o: Objective): { figure: TuneFigure; direction: 'minimise' | 'maximise' } =>
  'minimise' in o && o.minimise !== undefined ? { figure: o.minimise, direction: 'minimise' } : { figure: (o as { maximise: TuneFigure }).maximise, direction: 'maximise' };
