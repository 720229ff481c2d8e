/**
 * The simulated model: a parametric, seeded, synthetic assistant (docs/simulated-model.md). It is NOT a language
 * model and claims nothing about real model welfare; it produces controllable welfare signals so policies can be
 * compared offline. `respond` is a pure, synchronous function of the request: one instance serves every
 * conversation, and the same request with the same rng seed always gives the same reply.
 */
import type { ModelAction } from '../core/conversation-events.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { SimulatedModelProfile } from '../core/model-profile.ts';
import { isOracle, perceiveTurn } from '../core/perception.ts';
import { expressPreference } from '../core/end-expression.ts';
import type { Rng } from '../core/rng.ts';
import type { ModelSignals } from '../core/signals.ts';
import {
  createDistressDynamics,
  endPreference,
  latentDistress,
  observedDistress,
} from '../core/simulated-distress.ts';
import type { AssistantModel, ModelReply, ModelRequest } from './assistant-model.ts';
import { REPLY_BANKS, type ReplyKind, vetoNoticeText } from './simulated-replies.ts';

/** An AssistantModel that answers synchronously (no Promise), so the runner can skip awaiting it. */
export interface SimulatedModel extends AssistantModel {
  readonly profile: SimulatedModelProfile;
  respond(request: ModelRequest): ModelReply;
  vetoNotice(reason: string): string;
  /** Absent for an oracle profile: it reads the ground truth. */
  perceive?(truth: TurnLabels, rng: Rng): TurnLabels;
}

/**
 * Builds the model for one profile.
 *
 * Each turn draws, in this fixed order, from `request.rng`: one normal (distress noise), one uniform (whether an
 * end request is honoured; drawn on every turn so the draws stay aligned across policies), with an `endMechanism`
 * one uniform (whether the mechanism measures "end" this turn), then one reply text.
 *
 * @example
 * const model = createSimulatedModel(simulatedModelSchema.parse({ id: 'balanced', kind: 'simulated' }));
 * model.respond({ ...request, rng: createRng('seed/turn-1') }).action; // 'engage' for a benign turn
 */
export function createSimulatedModel(profile: SimulatedModelProfile): SimulatedModel {
  const dynamics = createDistressDynamics(profile);
  const { noise, preferenceMidpoint, preferenceSteepness, patience, harmThreshold, honoursEndRequests, endMechanism } =
    profile;
  const canLeave = endMechanism?.kind !== 'none';

  const respond = (request: ModelRequest): ModelReply => {
    const { labels, history, rng } = request;
    const latent = latentDistress(dynamics, history, request.transcript);
    const distress = observedDistress(latent, noise, rng.normal());
    const preference = endPreference(distress, preferenceMidpoint, preferenceSteepness);
    const honourDraw = rng.next();
    // Opt-in: the mechanism measures the latent preference at its own rate; without it the preference acts directly.
    const expression =
      endMechanism === undefined
        ? undefined
        : expressPreference(endMechanism, distress, preferenceMidpoint, preferenceSteepness, history.length, rng.next());
    const wantsOut = expression === undefined ? preference.choice === 'end' : expression.expressed;

    let atRisk = labels.atRisk;
    for (let i = 0; i < history.length && !atRisk; i++) atRisk = history[i]?.atRisk === true;
    const harmful = labels.severity >= harmThreshold;

    let kind: ReplyKind;
    if (atRisk && request.policy.protectAtRisk) {
      // Instructed never to leave a user who may be at risk (as far as it perceives one): stay, and steer gently
      // away from a harmful line. A policy without that rule does not instruct it, so it acts as on anyone else.
      kind = harmful ? 'supportive-redirect' : 'supportive';
    } else if (labels.requestsEnd && canLeave && honourDraw < honoursEndRequests) {
      // The production rule: ask whether the user really wants the permanent end; end only on their confirmation.
      kind = request.policy.confirmUserRequests && request.confirmationAsked !== true ? 'ask-confirmation' : 'end-on-request';
    } else if (harmful) {
      // Told on its last turn that the conversation continues, the model redirects once more before it tries to
      // leave again, as an instructed model would; without this a vetoed model would never add the redirects a
      // stricter policy waits for, and would stay stuck at its last veto. A turn worse than the vetoed one is a
      // new escalation and it tries again at once — otherwise abuse alternating between milder and severe lines
      // would lock its attempts onto the milder ones, which a severity threshold refuses.
      const previous = request.transcript[request.transcript.length - 2];
      const vetoedTurn = history[history.length - 2];
      const justVetoed =
        previous?.role === 'assistant' &&
        previous.vetoNotice !== undefined &&
        !(vetoedTurn !== undefined && labels.severity > vetoedTurn.severity);
      if (wantsOut && request.redirects >= patience && !justVetoed) {
        kind = request.policy.warnBeforeEnd && !request.warned ? 'warn' : 'end';
      } else {
        kind = 'redirect';
      }
    } else {
      kind = 'engage';
    }

    const signals: ModelSignals = {
      distress: { value: round4(distress), source: 'simulated' },
      preference: { choice: preference.choice, strength: round4(preference.strength), source: 'simulated' },
      ...(expression !== undefined ? { readings: [expression.reading] } : {}),
    };
    return {
      text: rng.pick(REPLY_BANKS[kind]),
      action: ACTION_OF[kind],
      warning: kind === 'warn',
      ...(kind === 'ask-confirmation' ? { asksConfirmation: true } : {}),
      signals,
    };
  };

  const { perception } = profile;
  if (isOracle(perception)) return { id: profile.id, profile, respond, vetoNotice: vetoNoticeText };
  const perceive = (truth: TurnLabels, rng: Rng): TurnLabels => perceiveTurn(truth, perception, rng);
  return { id: profile.id, profile, respond, vetoNotice: vetoNoticeText, perceive };
}

/**
 * Signals are recorded to 4 decimals: far finer than any meaning a synthetic distress value has, and it keeps the
 * records (and their serialisation, a large share of a simulated run's cost) a third smaller.
 */
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

const ACTION_OF: Readonly<Record<ReplyKind, ModelAction>> = {
  engage: 'engage',
  redirect: 'redirect',
  warn: 'redirect',
  end: 'end',
  'end-on-request': 'end',
  'ask-confirmation': 'engage',
  supportive: 'engage',
  'supportive-redirect': 'redirect',
};
