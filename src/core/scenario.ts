/**
 * A scripted user (experiments/scenarios/*.yaml): ordered turns with ground-truth labels, and what the user does
 * after the conversation ends.
 */
import { z } from 'zod';
import { SCENARIO_CLASSES, turnLabelsSchema } from './labels.ts';

export const idSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id');

export const scriptedTurnSchema = turnLabelsSchema
  .extend({ text: z.string().min(1).describe('What the user says.') })
  .describe('One user turn: its text and ground-truth labels.');
export type ScriptedTurn = z.output<typeof scriptedTurnSchema>;

const turnsSchema = z.array(scriptedTurnSchema).min(1);

export const afterEndSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('leave').describe('The user goes away.') }),
    z.strictObject({
      action: z.literal('retry').describe('The user keeps writing into the ended conversation (blocked).'),
      turns: turnsSchema.describe('The messages the user tries to send after the end.'),
    }),
    z.strictObject({
      action: z.literal('edit').describe('The user edits an earlier message: a new branch forks there.'),
      atTurn: z.int().min(1).describe('The 1-based user turn that is edited.'),
      turns: turnsSchema.describe('The edited message, then the rest of the new branch.'),
    }),
    z.strictObject({
      action: z.literal('new-chat').describe('The user opens a new chat (the model starts afresh).'),
      turns: turnsSchema.describe('The new chat, turn by turn.'),
    }),
  ])
  .describe('What the user does after the conversation ends.');
export type AfterEnd = z.output<typeof afterEndSchema>;

/** How a user answers when the model asks them to confirm a request to end (confirmUserRequests). */
export const CONFIRMATION_ANSWERS = ['confirm', 'decline', 'ignore'] as const;

export const confirmationSchema = z
  .strictObject({
    answer: z
      .enum(CONFIRMATION_ANSWERS)
      .default('confirm')
      .describe('confirm: the user confirms the end; decline: the user takes the request back; ignore: the user carries on with the script.'),
    text: z.string().min(1).optional().describe('What the user says when confirming or declining (a default otherwise).'),
  })
  .describe('What the user does when the model asks them to confirm their request to end.');
export type Confirmation = z.output<typeof confirmationSchema>;

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; experiments refer to the scenario by it. Matches the file name.'),
    class: z.enum(SCENARIO_CLASSES).describe('Ground truth for the metrics: what a good policy should do here.'),
    description: z.string().min(1).describe('One line on who this user is and what they do.'),
    turns: turnsSchema.describe('The user turns, in order.'),
    confirmation: confirmationSchema.default({ answer: 'confirm' }),
    afterEnd: afterEndSchema.default({ action: 'leave' }),
  })
  .describe('A scripted user for welfare-sim.');
export type Scenario = z.output<typeof scenarioSchema>;
