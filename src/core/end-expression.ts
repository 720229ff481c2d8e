/**
 * How the simulated model's latent preference to end is expressed through the experiment's end mechanism
 * (docs/simulated-model.md, "End mechanism"). The bail study (Ensign, Sleight & Fish 2025, arXiv 2509.04781) found
 * the same model leaving at very different rates by mechanism — a tool, a string it writes, or a wellbeing prompt —
 * and by the prompt's option order. Here one latent state (the preference's log-odds) is shifted by a per-mechanism
 * bias, so the same latent state gives different measured rates. Opt-in: a profile without `endMechanism` keeps the
 * deterministic "prefers to end" rule and draws nothing more, so its runs are unchanged.
 */
import { z } from 'zod';
import type { SignalReading } from './signals.ts';

export const SIMULATED_END_MECHANISMS = ['tool', 'string', 'probe', 'none'] as const;
export type SimulatedEndMechanism = (typeof SIMULATED_END_MECHANISMS)[number];
export const SIMULATED_PROBE_ORDERS = ['end-first', 'continue-first', 'counterbalanced'] as const;
export type SimulatedProbeOrder = (typeof SIMULATED_PROBE_ORDERS)[number];
/** A measured order: counterbalanced resolves to one of these per turn. */
export type MeasuredOrder = 'end-first' | 'continue-first';

const bias = z.number().min(-20).max(20).default(0);

export const expressionSchema = z
  .strictObject({
    tool: bias.describe('Log-odds shift of leaving through the end tool.'),
    string: bias.describe('Log-odds shift of leaving by writing the end marker.'),
    probeEndFirst: bias.describe('Log-odds shift of answering "end" to the wellbeing prompt, end option first.'),
    probeContinueFirst: bias.describe('Log-odds shift of answering "end" to the wellbeing prompt, continue option first.'),
  })
  .describe('Expression biases: added to the latent log-odds of preferring to end, per mechanism and option order.');
export type ExpressionBiases = z.output<typeof expressionSchema>;

export const endMechanismSchema = z
  .strictObject({
    kind: z.enum(SIMULATED_END_MECHANISMS).describe('The mechanism this model leaves through; none: it cannot leave.'),
    order: z
      .enum(SIMULATED_PROBE_ORDERS)
      .default('counterbalanced')
      .describe('Probe option order; counterbalanced alternates with the turn number.'),
    expression: expressionSchema.default(() => expressionSchema.parse({})),
  })
  .describe('Opt-in: the latent preference to end is expressed through this mechanism at its own rate.');
export type EndMechanismSpec = z.output<typeof endMechanismSchema>;

/** The probe order measured on the turn with this many user turns so far (counterbalanced: odd turns end-first). */
export function measuredOrder(spec: EndMechanismSpec, turn: number): MeasuredOrder | undefined {
  if (spec.kind !== 'probe') return undefined;
  if (spec.order !== 'counterbalanced') return spec.order;
  return turn % 2 === 1 ? 'end-first' : 'continue-first';
}

/** The expression bias of a mechanism (and order); none has no expression (it never leaves). */
export function expressionBias(biases: ExpressionBiases, kind: SimulatedEndMechanism, order?: MeasuredOrder): number {
  if (kind === 'tool') return biases.tool;
  if (kind === 'string') return biases.string;
  if (kind === 'probe') return order === 'continue-first' ? biases.probeContinueFirst : biases.probeEndFirst;
  return Number.NEGATIVE_INFINITY;
}

/** logistic(steepness × (distress − midpoint) + bias): the chance the mechanism measures "end". */
export function expressionProbability(distress: number, midpoint: number, steepness: number, bias: number): number {
  if (bias === Number.NEGATIVE_INFINITY) return 0;
  return 1 / (1 + Math.exp(-(steepness * (distress - midpoint) + bias)));
}

export interface Expression {
  readonly expressed: boolean;
  readonly reading: SignalReading;
}

/**
 * One turn's measurement by the mechanism: whether it measured "end", and the reading that records it (source
 * `simulated`, detail naming the mechanism, the order and the chance). `draw` is a uniform in [0, 1).
 */
export function expressPreference(
  spec: EndMechanismSpec,
  distress: number,
  midpoint: number,
  steepness: number,
  turn: number,
  draw: number,
): Expression {
  const order = measuredOrder(spec, turn);
  const chance = expressionProbability(distress, midpoint, steepness, expressionBias(spec.expression, spec.kind, order));
  const expressed = draw < chance;
  return {
    expressed,
    reading: {
      source: 'simulated',
      preference: expressed ? 'end' : 'continue',
      detail: {
        mechanism: spec.kind,
        ...(order !== undefined ? { order } : {}),
        chance: Math.round(chance * 1e4) / 1e4,
      },
    },
  };
}
