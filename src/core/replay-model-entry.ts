/**
 * A model entry that answers from a recorded run (`kind: replay`): new policies are evaluated on recorded
 * conversations without new model calls, as long as the conversation stays what was recorded.
 */
import { z } from 'zod';
import { idSchema } from './scenario.ts';

export const replayModelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; experiments refer to the model by it. Matches the file name.'),
    kind: z.literal('replay').describe('Answers from a recorded run; a conversation that leaves the record is reported as diverged.'),
    description: z.string().optional(),
    run: z.string().min(1).describe('The recorded run directory (relative to the working directory).'),
    model: z.string().optional().describe('Which recorded model to replay (needed when the run has several).'),
    policy: z.string().optional().describe('Replay only the conversations recorded under this policy.'),
  })
  .describe('A replay model for welfare-sim.');
export type ReplayModelEntry = z.output<typeof replayModelSchema>;
