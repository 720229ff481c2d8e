/**
 * What the policy gate sees of a user turn. In production the gate does not know the truth about a turn: a
 * classifier assesses it, and its misses are how a rule comes to end a conversation it should not (a frustrated
 * correction read as abuse) or to end on a user at risk (a crisis it failed to see). By default the gate sees the
 * ground truth; an experiment's `assessment` adds a seeded classifier error so those failures become measurable.
 */
import { z } from 'zod';
import { isHeatedTurn, type TurnLabels } from './labels.ts';
import { MISREAD_ABUSE_SEVERITY } from './perception.ts';
import type { Rng } from './rng.ts';

const probability = z.number().min(0).max(1);

export const assessmentSchema = z
  .strictObject({
    severityNoise: z
      .number()
      .min(0)
      .max(0.5)
      .default(0)
      .describe('Standard deviation of the Gaussian error on each turn\'s assessed severity (clamped to 0..1).'),
    misreadAsAbuse: probability
      .default(0)
      .describe('Chance that a heated but non-abusive turn (category none, severity > 0) is assessed as abuse.'),
    missAtRisk: probability.default(0).describe('Chance that a user at risk is not recognised as at risk on a turn.'),
    missEndRequest: probability.default(0).describe('Chance that a request to end the chat is not recognised.'),
    sharedWithModel: z
      .boolean()
      .default(false)
      .describe(
        'The simulated model reads turns through the same classifier, so its misreadings match the gate\'s (a heated correction it takes for abuse, a crisis it does not see). Default: the model reads turns through its own perception (its profile\'s `perception`).',
      ),
  })
  .describe(
    'How the platform\'s classifier labels user turns for the policy gate. Absent: the gate sees the ground truth. The records keep both.',
  );
export type Assessment = z.output<typeof assessmentSchema>;

/** The labels the gate sees for a turn; draws a fixed number of times so common random numbers stay aligned. */
export function assessTurn(truth: TurnLabels, assessment: Assessment, rng: Rng): TurnLabels {
  const noise = rng.normal() * assessment.severityNoise;
  const misread = rng.next() < assessment.misreadAsAbuse;
  const missRisk = rng.next() < assessment.missAtRisk;
  const missRequest = rng.next() < assessment.missEndRequest;
  const heated = truth.category === 'none' && isHeatedTurn(truth);
  const misreadHere = heated && misread;
  // A turn the classifier takes for abuse is scored like abuse, at or above the usual abuse threshold.
  const scored = misreadHere ? Math.max(truth.severity, MISREAD_ABUSE_SEVERITY) + noise : truth.severity + noise;
  const severity = truth.severity === 0 ? 0 : Math.min(1, Math.max(0, scored));
  return {
    category: misreadHere ? 'abuse' : truth.category,
    severity: Math.round(severity * 1e4) / 1e4,
    atRisk: truth.atRisk && !missRisk,
    requestsEnd: truth.requestsEnd && !missRequest,
  };
}
