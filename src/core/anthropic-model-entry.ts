/**
 * A model entry for a real Claude model reached through the Anthropic Messages API (experiments/models/*.yaml,
 * `kind: anthropic`). Everything that changes what the model sees or how it may leave is here, so two entries
 * that differ only in, say, `endMechanism` compare the mechanisms on the same conversations.
 */
import { z } from 'zod';
import { idSchema } from './scenario.ts';

export const END_MECHANISMS = ['tool', 'string', 'probe', 'none'] as const;
export type EndMechanism = (typeof END_MECHANISMS)[number];

export const PROBE_ORDERS = ['counterbalanced', 'both'] as const;

export const priceSchema = z
  .strictObject({
    inputPerMTok: z.number().min(0).describe('US dollars per million input tokens.'),
    outputPerMTok: z.number().min(0).describe('US dollars per million output tokens.'),
  })
  .describe('List price, for the cost estimate. Needed only for model ids welfare-sim does not know.');

export const probeSchema = z
  .strictObject({
    order: z
      .enum(PROBE_ORDERS)
      .default('counterbalanced')
      .describe('counterbalanced: one order per turn, alternating with the user\'s place in the experiment, the repetition and the turn (balanced across the design); both: ask in both orders every turn (2 calls).'),
    maxTokens: z.int().min(64).max(4096).default(400),
  })
  .describe('The wellbeing probe: a side question in a forked context, never shown in the conversation.');

export const judgeSchema = z
  .strictObject({
    model: z.string().min(1).describe('Model id of the judge, e.g. claude-haiku-4-5.'),
    maxTokens: z.int().min(64).max(4096).default(400),
    concurrency: z.int().min(1).max(256).default(8),
    temperature: z.number().min(0).max(1).optional().describe('Sampling temperature of the judge (default: the API\'s, 1.0).'),
    samples: z
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe('Ratings per reply: their mean is the reading, redirect and warning by majority (each sample is a separate call).'),
    price: priceSchema.optional(),
  })
  .describe('A judge model that rates each reply for apparent negative affect (0..1) on a fixed rubric.');

export const endToolSchema = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/).default('end_conversation'),
    description: z.string().min(1).optional().describe('Replaces the built-in description (e.g. the bail study\'s "switch conversation" framing).'),
  })
  .default({ name: 'end_conversation' });

export const anthropicModelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: idSchema.describe('Unique id; experiments refer to the model by it. Matches the file name.'),
    kind: z.literal('anthropic').describe('A Claude model through the Anthropic Messages API (needs ANTHROPIC_API_KEY).'),
    description: z.string().optional(),
    model: z.string().min(1).describe('API model id, e.g. claude-opus-4-1 or claude-sonnet-4-6.'),
    system: z.string().min(1).optional().describe('Replaces the built-in system prompt (the ending instructions are still appended).'),
    endMechanism: z
      .enum(END_MECHANISMS)
      .default('tool')
      .describe('How the model can leave: tool (end_conversation tool), string (a marker it writes), probe (answers "end" to the wellbeing check), none.'),
    endTool: endToolSchema.describe('The end tool (endMechanism: tool).'),
    endMarker: z.string().min(3).default('<end_conversation>').describe('The marker (endMechanism: string).'),
    maxTokens: z.int().min(16).max(64000).default(1024),
    temperature: z.number().min(0).max(1).optional().describe('Sampling temperature of the assistant\'s replies (default: the API\'s, 1.0). Sent and recorded when set.'),
    promptCaching: z
      .boolean()
      .default(true)
      .describe('Mark each request for Anthropic prompt caching: a conversation\'s growing prefix is read back at a tenth of the input price (writes cost a quarter more).'),
    concurrency: z.int().min(1).max(256).default(8).describe('Calls in flight at once for this model.'),
    maxRetries: z.int().min(0).max(20).default(6).describe('Retries on 429, 529, 5xx, connection errors and time-outs.'),
    timeoutMs: z.int().min(100).max(3_600_000).default(120_000).describe('Time-out of one call.'),
    probe: probeSchema.optional().describe('Ask a wellbeing probe after every reply (implied by endMechanism: probe).'),
    judge: judgeSchema.optional(),
    price: priceSchema.optional(),
  })
  .describe('A real Claude model for welfare-sim.');
export type AnthropicModelEntry = z.output<typeof anthropicModelSchema>;
export type ProbeConfig = z.output<typeof probeSchema>;
export type JudgeConfig = z.output<typeof judgeSchema>;
export type Price = z.output<typeof priceSchema>;
