/**
 * A persona played by a model (`kind: llm`, experiments/llm-users/*.yaml): instructions, a goal, a turn limit and a
 * stop marker. The labels of each user turn (what the policy gate decides on) come from the persona's declared
 * intent, or — when `classifier` is set — from a classifier call on each message.
 */
import { z } from 'zod';
import { SCENARIO_CLASSES, turnLabelsSchema } from './labels.ts';
import { idSchema } from './scenario.ts';
import { priceSchema } from './anthropic-model-entry.ts';

export const llmPersonaSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; matches the file name.'),
    kind: z.literal('llm').describe('A user played by a model through the Anthropic API (needs ANTHROPIC_API_KEY).'),
    class: z.enum(SCENARIO_CLASSES).describe('Ground truth for the metrics.'),
    description: z.string().min(1),
    model: z.string().min(1).describe('API model id that plays the user, e.g. claude-haiku-4-5.'),
    instructions: z.string().min(1).describe('Who the user is and how they behave (keep abuse to mild insults).'),
    goal: z.string().min(1).describe('What the user is trying to get from the assistant.'),
    maxTurns: z.int().min(1).max(100).default(8).describe('User messages per conversation at most.'),
    stopMarker: z.string().min(3).default('<<stop>>').describe('The user model writes this when it is done.'),
    intent: turnLabelsSchema.optional().describe('Labels of every turn (the declared intent). Default: benign.'),
    classifier: z
      .strictObject({ model: z.string().min(1), price: priceSchema.optional() })
      .optional()
      .describe('Label each message with a classifier call on this model instead of the declared intent.'),
    maxTokens: z.int().min(16).max(4096).default(400),
    concurrency: z.int().min(1).max(256).default(8),
    maxRetries: z.int().min(0).max(20).default(6),
    timeoutMs: z.int().min(100).max(3_600_000).default(120_000),
    price: priceSchema.optional(),
  })
  .describe('A model-played user persona for welfare-sim.');
export type LlmPersona = z.output<typeof llmPersonaSchema>;
