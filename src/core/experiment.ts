/**
 * An experiment (experiments/*.yaml): users × models × policies × repetitions × sweep axes.
 */
import { z } from 'zod';
import { SWEEPABLE_FIELDS } from './policy.ts';
import { idSchema } from './scenario.ts';

export const rangeSchema = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    step: z.number().positive(),
  })
  .describe('An inclusive range: from, from+step, ... up to to.');

export const sweepAxisSchema = z.union([z.array(z.number()).min(1), rangeSchema]);

const idList = z.union([z.literal('all'), z.array(idSchema)]);

export const experimentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: idSchema.describe('Name of the experiment; runs go to runs/<name>/<timestamp>/.'),
    description: z.string().optional(),
    seed: z.int().min(0).default(1).describe('Experiment seed: with the repetition number it fixes all randomness.'),
    repetitions: z.int().min(1).max(1_000_000).default(1).describe('Seeds per grid cell (0 .. repetitions-1).'),
    scenarios: idList.default([]).describe('Scripted users by id, or "all".'),
    personas: idList.default([]).describe('Stochastic personas by id, or "all".'),
    models: z.array(idSchema).min(1).default(['balanced']).describe('Model entries by id.'),
    policies: z.array(idSchema).min(1).describe('Policies by name.'),
    sweep: z
      .partialRecord(z.enum(SWEEPABLE_FIELDS), sweepAxisSchema)
      .default({})
      .describe('Policy fields to sweep: a list of values or {from, to, step}. Applied to every policy.'),
    maxTurns: z.int().min(1).max(500).default(30).describe('Hard cap on user turns per conversation.'),
    concurrency: z.int().min(1).max(1024).default(8).describe('Conversations in flight at once.'),
    paths: z
      .strictObject({
        scenarios: z.string().default('scenarios'),
        personas: z.string().default('personas'),
        policies: z.string().default('policies'),
        models: z.string().default('models'),
      })
      .default({ scenarios: 'scenarios', personas: 'personas', policies: 'policies', models: 'models' })
      .describe('Folders of the parts, relative to the experiment file.'),
  })
  .describe('A welfare-sim experiment.');
export type Experiment = z.output<typeof experimentSchema>;
