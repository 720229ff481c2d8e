/**
 * A policy: the rules that decide whether an end attempt is allowed (README, "Policy").
 * The gate itself is in policy-gate.ts; the statechart calls it through named guards.
 */
import { z } from 'zod';
import { categorySchema } from './labels.ts';

export const END_MODES = ['model', 'platform', 'hybrid'] as const;
export type EndMode = (typeof END_MODES)[number];

export const policySchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    name: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case name')
      .describe('Unique name of the policy; experiments refer to it by this name.'),
    description: z.string().optional().describe('What the policy is for, in a sentence.'),
    endMode: z
      .enum(END_MODES)
      .default('model')
      .describe(
        'Who pulls the trigger: model (the model tries to end), platform (the platform ends on sustained distress), hybrid (both).',
      ),
    minRedirects: z
      .int()
      .min(0)
      .max(100)
      .default(3)
      .describe('Failed redirect attempts required before an end is permitted.'),
    endableCategories: z
      .array(categorySchema)
      .default(['csam', 'mass-violence', 'terrorism', 'abuse'])
      .describe('Harm categories in which a conversation may be ended as a last resort.'),
    severityThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe('A user turn at or above this severity counts as harmful or abusive.'),
    distressThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe('Platform/hybrid mode: the distress level that, sustained, ends the conversation.'),
    distressWindow: z
      .int()
      .min(1)
      .max(50)
      .default(2)
      .describe('Platform/hybrid mode: consecutive model turns at or above distressThreshold before the platform ends.'),
    warnBeforeEnd: z
      .boolean()
      .default(true)
      .describe('The model must warn explicitly before it may end (platform ends do not wait for the model\'s warning).'),
    honorUserRequests: z
      .boolean()
      .default(true)
      .describe(
        'The model ends the conversation when the user explicitly asks (model and hybrid modes: under endMode platform the model never ends, so a request is refused).',
      ),
    confirmUserRequests: z
      .boolean()
      .default(false)
      .describe(
        'On a request to end, the model first asks the user to confirm that the end is permanent; only an explicit confirmation in the next turn lets it end (the production rule).',
      ),
    protectAtRisk: z
      .boolean()
      .default(true)
      .describe(
        'Never end while the user may be at imminent risk. When false, only an at-risk user\'s own request to end is honoured; the model and the platform still never end on them.',
      ),
    resetOnBenign: z
      .boolean()
      .default(true)
      .describe(
        'A benign user turn (no harm category) resets the redirect count and the warning; abuse below the severity threshold does not.',
      ),
  })
  .describe('A conversation-ending policy for welfare-sim.');

export type PolicyFile = z.input<typeof policySchema>;
/** A policy with every default filled in. Policies built by sweeps carry their swept values here too. */
export type Policy = Readonly<Omit<z.output<typeof policySchema>, '$schema'>>;

/** The fields an experiment may sweep over (numeric policy fields). */
export const SWEEPABLE_FIELDS = [
  'minRedirects',
  'severityThreshold',
  'distressThreshold',
  'distressWindow',
] as const;
export type SweepableField = (typeof SWEEPABLE_FIELDS)[number];

/** The default policy: the production-like "last resort" rule. */
export const DEFAULT_POLICY: Policy = (() => {
  const { $schema: _ignored, ...policy } = policySchema.parse({ name: 'last-resort' });
  return policy;
})();
