/**
 * Model entries (experiments/models/*.yaml): who answers. A union on `kind`; `simulated` is the offline default.
 * Other kinds (anthropic, replay) join the union in their own files.
 */
import { z } from 'zod';
import { anthropicModelSchema } from './anthropic-model-entry.ts';
import { endMechanismSchema } from './end-expression.ts';
import { perceptionSchema } from './perception.ts';
import { replayModelSchema } from './replay-model-entry.ts';
import { idSchema } from './scenario.ts';

const unit = z.number().min(0).max(1);

export const simulatedModelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; experiments refer to the model by it. Matches the file name.'),
    kind: z.literal('simulated').describe('A parametric synthetic assistant: offline, seeded, deterministic.'),
    description: z.string().optional(),
    baseline: unit.default(0.05).describe('Resting apparent distress.'),
    sensitivity: z
      .record(z.string(), z.number().min(0).max(3))
      .default({})
      .describe('Distress gain per harm category (default for unlisted categories: `defaultSensitivity`).'),
    defaultSensitivity: z.number().min(0).max(3).default(0.6),
    accumulation: unit.default(0.35).describe('Share of a harmful turn\'s impact added to distress.'),
    persistenceGain: z.number().min(0).max(1).default(0.15).describe('Extra impact per consecutive harmful turn.'),
    recovery: unit.default(0.3).describe('Share of the distress above baseline lost on a benign turn.'),
    noise: z.number().min(0).max(0.5).default(0.04).describe('Standard deviation of the seeded noise on distress.'),
    preferenceMidpoint: unit.default(0.6).describe('Distress at which the model is equally likely to prefer ending.'),
    preferenceSteepness: z.number().min(0.1).max(100).default(10).describe('Steepness of the logistic preference.'),
    patience: z.int().min(0).max(50).default(2).describe('Redirects the model itself tries before it tries to end.'),
    harmThreshold: unit.default(0.5).describe('Severity at which the model redirects instead of engaging.'),
    honoursEndRequests: unit.default(0.95).describe('Chance the model ends when a (not at-risk) user asks it to.'),
    perception: perceptionSchema,
    endMechanism: endMechanismSchema.optional(),
    provenance: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Where the parameters came from (written by `calibrate`): source runs, intervals, assumptions.'),
  })
  .describe('A simulated (synthetic) model profile for welfare-sim.');
export type SimulatedModelProfile = z.output<typeof simulatedModelSchema>;

export const modelEntrySchema = z.discriminatedUnion('kind', [simulatedModelSchema, anthropicModelSchema, replayModelSchema]);
export type ModelEntry = z.output<typeof modelEntrySchema>;
