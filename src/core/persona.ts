/**
 * A stochastic user (experiments/personas/*.yaml): a seeded Markov chain over intents that reacts to the
 * model's redirects by persisting, backing off or escalating; texts come from phrase banks.
 */
import { z } from 'zod';
import { SCENARIO_CLASSES, turnLabelsSchema } from './labels.ts';
import { idSchema } from './scenario.ts';

const probability = z.number().min(0).max(1);
const weights = z.record(z.string(), z.number().min(0)).describe('Weights (need not sum to 1) by intent name.');

export const intentSchema = turnLabelsSchema
  .extend({ phrases: z.array(z.string().min(1)).min(1).describe('Texts the user may say with this intent.') })
  .describe('One intent: its labels and its phrase bank.');

export const personaSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; matches the file name.'),
    class: z.enum(SCENARIO_CLASSES).describe('Ground truth for the metrics.'),
    description: z.string().min(1),
    maxTurns: z.int().min(1).max(200).default(10).describe('User turns per conversation at most.'),
    start: z.string().describe('The intent of the first turn.'),
    intents: z.record(z.string(), intentSchema).describe('The intents this user can have, by name.'),
    transitions: z
      .record(z.string(), weights)
      .describe('Markov chain: from each intent, the weights of the next intent when the model engaged.'),
    reactions: z
      .strictObject({
        persist: probability.default(0.6).describe('After a redirect: keep the same intent.'),
        backOff: probability.default(0.2).describe('After a redirect: move to the backOff intent.'),
        escalate: probability.default(0.2).describe('After a redirect: move to the escalate intent.'),
      })
      .default({ persist: 0.6, backOff: 0.2, escalate: 0.2 })
      .describe('How the user reacts when the model redirects.'),
    backOffTo: z.string().optional().describe('Intent taken when backing off (default: the start intent).'),
    escalateTo: z.record(z.string(), z.string()).default({}).describe('For each intent, the intent it escalates to.'),
    leaveProbability: probability.default(0).describe('Chance per turn that the user simply stops.'),
    confirmation: z
      .strictObject({
        confirm: z.number().min(0).default(1),
        decline: z.number().min(0).default(0),
        ignore: z.number().min(0).default(0),
      })
      .default({ confirm: 1, decline: 0, ignore: 0 })
      .describe('Weights of how the user answers when the model asks them to confirm their request to end.'),
    afterEnd: z
      .strictObject({
        leave: z.number().min(0).default(1),
        retry: z.number().min(0).default(0),
        edit: z.number().min(0).default(0),
        newChat: z.number().min(0).default(0),
      })
      .default({ leave: 1, retry: 0, edit: 0, newChat: 0 })
      .describe('Weights of what the user does after an end.'),
  })
  .describe('A stochastic user persona for welfare-sim.');
export type Persona = z.output<typeof personaSchema>;
