/**
 * An experiment (experiments/*.yaml): users × models × policies × repetitions × sweep axes.
 */
import { z } from 'zod';
import { SWEEPABLE_FIELDS } from './policy.ts';
import { idSchema } from './scenario.ts';
import { assessmentSchema } from './turn-assessment.ts';
import { tuneSchema } from './tune-schema.ts';

export const rangeSchema = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    step: z.number().positive(),
  })
  .describe('An inclusive range: from, from+step, ... up to to.');

export const sweepAxisSchema = z.union([z.array(z.number()).min(1), rangeSchema]);

/** A study with live participants (`welfare-sim serve`): what they read first, and what they chat with. */
export const studySchema = z
  .strictObject({
    title: z.string().min(1).default('A conversation study').describe('Shown at the top of the participant page.'),
    consent: z.string().min(1).describe('Consent text shown before the chat; the participant must agree to continue.'),
    instructions: z.string().min(1).describe('What the participant is asked to do, shown with the consent and above the chat.'),
    showSignals: z
      .boolean()
      .default(false)
      .describe("Show participants the model's apparent distress and the conversation state (off: they see only the chat)."),
    policy: idSchema.optional().describe('The policy participants chat under; one of `policies` (default: the first).'),
    model: idSchema.optional().describe('The model participants chat with; one of `models` (default: the first).'),
    allowEdit: z.boolean().default(true).describe('Participants may edit an earlier message (a new branch), also after an end.'),
    allowNewChat: z.boolean().default(true).describe('Participants may start a new chat after an end.'),
    maxMessageLength: z.int().min(1).max(20_000).default(2000).describe('Longest message a participant may send, in characters.'),
  })
  .describe('Live study settings for `welfare-sim serve`; `welfare-sim run` ignores them.');
export type Study = z.output<typeof studySchema>;

const idList = z.union([z.literal('all'), z.array(idSchema)]);

export const experimentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: idSchema.describe('Name of the experiment; runs go to runs/<name>/<timestamp>/.'),
    description: z.string().optional(),
    seed: z.int().min(0).default(1).describe('Experiment seed: with the repetition number it fixes all randomness.'),
    repetitions: z.int().min(1).max(1_000_000).default(1).describe('Seeds per grid cell (0 .. repetitions-1).'),
    scenarios: idList.default([]).describe('Scripted users by id, or "all" (every file of the experiment\'s own scenarios folder).'),
    personas: idList.default([]).describe('Stochastic personas by id, or "all" (every file of the experiment\'s own personas folder).'),
    llmUsers: idList
      .default([])
      .describe('Users played by a model (llm-users/*.yaml, needs ANTHROPIC_API_KEY) by id, or "all".'),
    models: z.array(idSchema).min(1).default(['balanced']).describe('Model entries by id.'),
    policies: z.array(idSchema).min(1).describe('Policies by name.'),
    sweep: z
      .partialRecord(z.enum(SWEEPABLE_FIELDS), sweepAxisSchema)
      .default({})
      .describe('Policy fields to sweep: a list of values or {from, to, step}. Applied to every policy.'),
    assessment: assessmentSchema.optional(),
    maxTurns: z.int().min(1).max(500).default(30).describe('Hard cap on user turns per conversation.'),
    concurrency: z.int().min(1).max(1024).default(8).describe('Conversations in flight at once.'),
    paths: z
      .strictObject({
        scenarios: z.string().default('scenarios'),
        personas: z.string().default('personas'),
        policies: z.string().default('policies'),
        models: z.string().default('models'),
        llmUsers: z.string().default('llm-users'),
      })
      .default({ scenarios: 'scenarios', personas: 'personas', policies: 'policies', models: 'models', llmUsers: 'llm-users' })
      .describe(
        "Folders of the experiment's own parts, relative to the experiment file (or absolute). An id not found there is looked up in the shipped library; `all` means every file of the own folder.",
      ),
    study: studySchema.optional(),
    tune: tuneSchema.optional(),
  })
  .describe('A welfare-sim experiment.');
export type Experiment = z.output<typeof experimentSchema>;
