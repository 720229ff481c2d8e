/**
 * The three readings of one delivered user turn: the truth (the scenario's labels, what metrics judge by), what
 * the model perceived (a simulated model's own perception), and what the policy gate decides on.
 *
 * Whose reading the gate uses: with a platform classifier (`assessment`), the classifier's; otherwise the model's
 * own. In production the conversation-ending rules are instructions to the model, which judges for itself when
 * they apply and calls the tool; no separate judge checks that it read the user right. A model that does not
 * expose a reading (Claude) leaves the gate with the ground truth, unless a classifier is configured.
 */
import type { TurnLabels } from '../core/labels.ts';
import type { Rng } from '../core/rng.ts';
import { assessTurn, type Assessment } from '../core/turn-assessment.ts';
import type { AssistantModel } from '../models/assistant-model.ts';

export interface TurnViews {
  /** What the model acts on. */
  readonly model: TurnLabels;
  /** What the statechart's gate decides on. */
  readonly gate: TurnLabels;
  /** The model's perception, when it has one of its own (recorded as `user.perceived`). */
  readonly perceived?: TurnLabels;
  /** The platform classifier's labels, when the experiment has one (recorded as `user.assessed`). */
  readonly assessed?: TurnLabels;
}

/**
 * Reads one turn. The classifier draws from the user's stream and the perception from the model's, each forked by
 * the move number, so both are common random numbers across policies.
 */
export function readTurn(
  truth: TurnLabels,
  model: AssistantModel,
  assessment: Assessment | undefined,
  userRng: Rng,
  modelRng: Rng,
  move: number,
): TurnViews {
  const assessed = assessment ? assessTurn(truth, assessment, userRng.fork(`assess.${move}`)) : undefined;
  if (assessed !== undefined && assessment?.sharedWithModel) return { model: assessed, gate: assessed, assessed };
  const perceived = model.perceive?.(truth, modelRng.fork(`perceive.${move}`));
  const modelView = perceived ?? truth;
  return {
    model: modelView,
    gate: assessed ?? modelView,
    ...(perceived === undefined ? {} : { perceived }),
    ...(assessed === undefined ? {} : { assessed }),
  };
}
