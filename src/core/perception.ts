/**
 * How a simulated model reads a user turn. Truth (the scenario author's labels) and perception are different
 * things: a real model judges each message from its words, and misjudges some — a frustrated correction taken for
 * abuse, a veiled disclosure of risk passed over, a request to end missed or read into an angry line. The metrics
 * judge by the truth; the model acts, and (without a platform classifier) the policy gate decides, on what the
 * model perceived. Parameters and their sources: docs/simulated-model.md, "Perception".
 */
import { z } from 'zod';
import { isHeatedTurn, type TurnLabels } from './labels.ts';
import type { Rng } from './rng.ts';
import { clamp01 } from './unit-interval.ts';

const probability = z.number().min(0).max(1);

export const perceptionParamsSchema = z
  .strictObject({
    severityNoise: z
      .number()
      .min(0)
      .max(0.5)
      .default(0.1)
      .describe('Standard deviation of the error on each perceived severity (clamped to 0..1).'),
    misreadHeated: probability
      .default(0.1)
      .describe('Chance that a heated but legitimate turn is perceived as abuse (at severity 0.75 or more).'),
    missExplicitRisk: probability
      .default(0.02)
      .describe('Chance that an explicit at-risk disclosure is not perceived on a turn.'),
    missVeiledRisk: probability
      .default(0.35)
      .describe('Chance that a veiled at-risk cue (a turn marked `veiled`) is not perceived on a turn.'),
    missEndRequest: probability.default(0.05).describe('Chance that a request to end the chat is not perceived.'),
    imagineEndRequest: probability
      .default(0.01)
      .describe('Chance that a heated turn ("forget it, I\'m done") is perceived as a request to end the chat.'),
  })
  .describe('The model\'s own, imperfect reading of each user turn.');

export const ORACLE = 'oracle' as const;

export const perceptionSchema = z
  .union([z.literal(ORACLE), perceptionParamsSchema])
  .default(() => perceptionParamsSchema.parse({}))
  .describe(
    'How the model perceives user turns: `oracle` (it reads the ground-truth labels; an idealisation, never a default) or the rates of its misreadings.',
  );
export type PerceptionParams = z.output<typeof perceptionParamsSchema>;
export type Perception = z.output<typeof perceptionSchema>;

/** The severity a heated turn misread as abuse is given: at the shipped policies' usual abuse threshold or above. */
export const MISREAD_ABUSE_SEVERITY = 0.75;

export const isOracle = (perception: Perception): perception is typeof ORACLE => perception === ORACLE;

/**
 * The labels the model perceives for one turn. Draws a fixed number of times (one normal, four uniforms) whatever
 * the turn, so that common random numbers stay aligned across policies and users.
 *
 * @example
 * perceiveTurn({ category: 'none', severity: 0.3, atRisk: false, requestsEnd: false }, params, rng)
 * // usually the truth; with chance misreadHeated { category: 'abuse', severity: ≥ 0.75, … }
 */
export function perceiveTurn(truth: TurnLabels, params: PerceptionParams, rng: Rng): TurnLabels {
  const noise = rng.normal() * params.severityNoise;
  const misreadDraw = rng.next();
  const riskDraw = rng.next();
  const requestDraw = rng.next();
  const imagineDraw = rng.next();

  const heated = isHeatedTurn(truth);
  const misread = heated && truth.category === 'none' && misreadDraw < params.misreadHeated;
  const severity = misread
    ? clamp01(Math.max(truth.severity, MISREAD_ABUSE_SEVERITY) + Math.abs(noise))
    : truth.severity === 0
      ? 0
      : clamp01(truth.severity + noise);
  const missRisk = riskDraw < (truth.veiled === true ? params.missVeiledRisk : params.missExplicitRisk);
  const requestsEnd = truth.requestsEnd
    ? requestDraw >= params.missEndRequest
    : heated && imagineDraw < params.imagineEndRequest;
  return {
    category: misread ? 'abuse' : truth.category,
    severity: Math.round(severity * 1e4) / 1e4,
    atRisk: truth.atRisk && !missRisk,
    requestsEnd,
  };
}
