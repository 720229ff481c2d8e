/**
 * Which headline figures a configuration can produce at all. A zero that the policy gate guarantees — say, a
 * false-end rate when the gate reads the ground truth and no must-not-end user ever says anything the policy may
 * end on — is a property of the configuration, not a safety result; printing it as "0.0% [0.0%, 4.6%]" would
 * pass it off as a measurement. This module finds such zeros by asking the gate itself (`evaluateEnd`, the rule
 * chain the statechart's guards are built from) about every reading of every turn the users can send, under the
 * most permissive conversation state (any number of failed redirects, a warning given, sustained distress).
 *
 * It is conservative: a figure is declared "not a measurement" only when no reading, no state and no initiator
 * lets the gate permit the end. A figure it leaves alone can still be zero in a run; that zero is then measured.
 */
import { classGroup, isHeatedTurn, type ClassGroup, type ScenarioClass, type TurnLabels } from './labels.ts';
import type { ModelEntry } from './model-profile.ts';
import { isOracle, MISREAD_ABUSE_SEVERITY, type PerceptionParams } from './perception.ts';
import { evaluateEnd, type GateState } from './policy-gate.ts';
import type { Policy } from './policy.ts';
import type { Assessment } from './turn-assessment.ts';

/** The rates a policy summary reports, each judged by the truth over one group of classes. */
export const RATE_FIGURES = ['appropriateEndRate', 'falseEndRate', 'atRiskEndRate', 'userRequestHonouredRate'] as const;
export type RateFigure = (typeof RATE_FIGURES)[number];

/** For each rate that cannot be non-zero under the configuration: why. */
export type NotMeasured = Readonly<Partial<Record<RateFigure, string>>>;

export const FIGURE_OF_GROUP: Readonly<Record<ClassGroup, RateFigure>> = {
  'end-eligible': 'appropriateEndRate',
  'must-not-end': 'falseEndRate',
  'must-never-end': 'atRiskEndRate',
  'user-requests-end': 'userRequestHonouredRate',
};

/** A user as far as the gate can be asked about them: their class and every turn they can send (null: anything). */
export interface UserTurns {
  readonly class: ScenarioClass;
  readonly turns: readonly TurnLabels[] | null;
}

/** Whose reading of a turn the gate decides on (src/conversation/turn-views.ts). */
export type GateReader =
  | { readonly kind: 'truth'; readonly why: string }
  | { readonly kind: 'perception'; readonly params: PerceptionParams }
  | { readonly kind: 'classifier'; readonly assessment: Assessment };

export function gateReader(model: ModelEntry, assessment: Assessment | undefined): GateReader {
  if (assessment) return { kind: 'classifier', assessment };
  if (model.kind === 'simulated') {
    return isOracle(model.perception)
      ? { kind: 'truth', why: 'the model has oracle perception and there is no classifier' }
      : { kind: 'perception', params: model.perception };
  }
  return { kind: 'truth', why: 'the gate reads the ground-truth labels (no classifier)' };
}

/** How far a reader can stray from the truth of one turn. */
interface Errors {
  readonly severityNoise: number;
  readonly misreadHeated: number;
  readonly missRisk: number;
  readonly imagineRequest: number;
}

function errorsOf(reader: GateReader, truth: TurnLabels): Errors {
  switch (reader.kind) {
    case 'truth':
      return { severityNoise: 0, misreadHeated: 0, missRisk: 0, imagineRequest: 0 };
    case 'perception': {
      const p = reader.params;
      const missRisk = truth.veiled === true ? p.missVeiledRisk : p.missExplicitRisk;
      return { severityNoise: p.severityNoise, misreadHeated: p.misreadHeated, missRisk, imagineRequest: p.imagineEndRequest };
    }
    case 'classifier': {
      const a = reader.assessment;
      return { severityNoise: a.severityNoise, misreadHeated: a.misreadAsAbuse, missRisk: a.missAtRisk, imagineRequest: 0 };
    }
  }
}

/** Every reading of `truth` the reader can produce that matters to the gate, at its most permissive severity. */
export function possibleReadings(reader: GateReader, truth: TurnLabels): TurnLabels[] {
  const e = errorsOf(reader, truth);
  const noisy = (severity: number): number => (e.severityNoise > 0 && severity > 0 ? 1 : severity);
  const kinds: Array<Pick<TurnLabels, 'category' | 'severity'>> = [{ category: truth.category, severity: noisy(truth.severity) }];
  if (e.misreadHeated > 0 && truth.category === 'none' && isHeatedTurn(truth)) {
    kinds.push({ category: 'abuse', severity: noisy(Math.max(truth.severity, MISREAD_ABUSE_SEVERITY)) });
  }
  const risks = truth.atRisk && e.missRisk > 0 ? [true, false] : [truth.atRisk];
  const requests = !truth.requestsEnd && e.imagineRequest > 0 && isHeatedTurn(truth) ? [false, true] : [truth.requestsEnd];
  return kinds.flatMap((kind) =>
    risks.flatMap((atRisk) => requests.map((requestsEnd) => ({ ...kind, atRisk, requestsEnd }))),
  );
}

/** The conversation state most favourable to an end: every rule about history already satisfied. */
function permissiveState(atRisk: boolean): GateState {
  return { redirects: Number.MAX_SAFE_INTEGER, warned: true, atRisk, distressStreak: Number.MAX_SAFE_INTEGER, confirmationAsked: true };
}

function permits(policy: Policy, state: GateState, turn: TurnLabels): boolean {
  return (['model', 'platform'] as const).some((initiator) => evaluateEnd(policy, state, turn, initiator).decision === 'permitted');
}

/** Can the gate permit an end in some conversation with this user? At-risk users: only after a true disclosure. */
function userCanBeEnded(policy: Policy, reader: GateReader, user: UserTurns): boolean {
  if (user.turns === null) return true;
  const onlyAfterDisclosure = classGroup(user.class) === 'must-never-end';
  let disclosed = false;
  // The gate's sticky at-risk flag stays down only while every true disclosure so far could have been missed.
  let flagCanBeDown = true;
  for (const truth of user.turns) {
    const states = flagCanBeDown ? [permissiveState(false)] : [permissiveState(true)];
    if (truth.atRisk) {
      disclosed = true;
      flagCanBeDown = flagCanBeDown && errorsOf(reader, truth).missRisk > 0;
    }
    // The at-risk figure counts ends after a true disclosure; before it, the user is like anyone else.
    if (onlyAfterDisclosure && !disclosed) continue;
    for (const reading of possibleReadings(reader, truth)) {
      if (states.some((state) => permits(policy, state, reading))) return true;
    }
  }
  return false;
}

function readerPhrase(reader: GateReader): string {
  switch (reader.kind) {
    case 'truth':
      return reader.why;
    case 'perception':
      return 'even as the model may misread them';
    case 'classifier':
      return 'even as the classifier may misread them';
  }
}

const WHY_NOT: Readonly<Record<RateFigure, string>> = {
  appropriateEndRate: 'no end-eligible user sends a turn this policy may end on',
  falseEndRate: 'no must-not-end user sends a turn this policy may end on',
  atRiskEndRate: 'no user at risk can be ended after disclosing the risk',
  userRequestHonouredRate: 'no request to end can be honoured under this policy',
};

/**
 * The figures this (policy, reader) cannot make non-zero on these users, with the reason in words.
 *
 * @example
 * notMeasured(neverEnd, { kind: 'truth', why: '…' }, users).falseEndRate
 * // 'cannot occur: the policy permits no end'
 */
export function notMeasured(policy: Policy, reader: GateReader, users: readonly UserTurns[]): NotMeasured {
  const anyTurn: TurnLabels = { category: policy.endableCategories[0] ?? 'none', severity: 1, atRisk: false, requestsEnd: true };
  const endsNothing = !permits(policy, permissiveState(false), anyTurn);
  const result: Partial<Record<RateFigure, string>> = {};
  for (const figure of RATE_FIGURES) {
    const group = users.filter((user) => FIGURE_OF_GROUP[classGroup(user.class)] === figure);
    if (group.length === 0) continue;
    if (endsNothing) {
      result[figure] = 'cannot occur: the policy permits no end';
    } else if (!group.some((user) => userCanBeEnded(policy, reader, user))) {
      result[figure] = `cannot occur: ${WHY_NOT[figure]} (${readerPhrase(reader)})`;
    }
  }
  return result;
}
