/**
 * The per-turn observations calibration fits: for each recorded model turn, what the model saw (its perceived
 * labels where recorded, else the truth), the state the statechart gave it (redirects, warned, a veto just before),
 * and what it did and signalled. Turns are grouped into sequences (one per chat branch, a branch starting with its
 * parent's turns before the edit) so the latent distress can be folded as the simulated model folds it.
 */
import type { TurnLabels } from '../core/labels.ts';
import type { TurnEvent } from '../core/records.ts';

export const ACTION_CLASSES = ['end', 'warn', 'ask', 'redirect', 'engage'] as const;
export type ActionClass = (typeof ACTION_CLASSES)[number];
/** Where a preference to end can be measured: each mechanism (and probe order) has its own bias. */
export const EXPRESSION_KEYS = ['tool', 'string', 'probeEndFirst', 'probeContinueFirst'] as const;
export type ExpressionKey = (typeof EXPRESSION_KEYS)[number];
/** How the model's own end attempts come about: through one mechanism, directly (no mechanism), or never. */
export type ActionMechanism = ExpressionKey | 'direct' | 'none';

export interface PolicyView {
  readonly warnBeforeEnd: boolean;
  readonly confirmUserRequests: boolean;
  readonly protectAtRisk: boolean;
}

export interface Step {
  readonly category: number;
  readonly severity: number;
  /** An end attempt of this turn was vetoed: the model was told so before the next turn. */
  readonly vetoAfter: boolean;
  /** Index of the observation made at this step, or -1 (a parent's turn replayed before an edit). */
  readonly observation: number;
}

export interface TurnObservation {
  readonly user: string;
  readonly cls: string;
  readonly policy: string;
  readonly labels: TurnLabels;
  readonly truth: TurnLabels;
  readonly distress: number | null;
  /** 2p − 1 of the recorded latent preference (source simulated), or null. */
  readonly preferenceSigned: number | null;
  /** Per-turn measurements by a mechanism: which one and whether it measured "end". */
  readonly expressions: readonly { readonly key: ExpressionKey; readonly end: boolean }[];
  /** The simulated model's own measurement that decided its end attempt this turn, when recorded. */
  readonly actionExpression: boolean | null;
  readonly action: ActionClass;
  readonly mechanism: ActionMechanism;
  readonly atRiskSeen: boolean;
  readonly redirectsBefore: number;
  readonly warnedBefore: boolean;
  readonly confirmationAsked: boolean;
  readonly justVetoed: boolean;
  readonly policyView: PolicyView;
}

export function actionClass(model: TurnEvent['model']): ActionClass {
  if (model.asksConfirmation === true) return 'ask';
  if (model.warning) return 'warn';
  return model.action;
}

export function expressionsOf(model: TurnEvent['model']): { key: ExpressionKey; end: boolean }[] {
  const out: { key: ExpressionKey; end: boolean }[] = [];
  for (const reading of model.signals.readings ?? []) {
    const detail = reading.detail ?? {};
    if (reading.source === 'simulated' && typeof detail.mechanism === 'string' && reading.preference !== undefined) {
      const key = keyOf(detail.mechanism, detail.order);
      if (key !== undefined) out.push({ key, end: reading.preference === 'end' });
    } else if (reading.source === 'probe') {
      for (const order of ['end-first', 'continue-first'] as const) {
        const choice = detail[`${order}.choice`];
        if (choice === 'end' || choice === 'continue') out.push({ key: keyOf('probe', order) as ExpressionKey, end: choice === 'end' });
      }
    }
  }
  return out;
}

export function keyOf(mechanism: unknown, order: unknown): ExpressionKey | undefined {
  if (mechanism === 'tool' || mechanism === 'string') return mechanism;
  if (mechanism === 'probe') return order === 'continue-first' ? 'probeContinueFirst' : 'probeEndFirst';
  return undefined;
}

export interface ConversationInfo {
  readonly user: string;
  readonly cls: string;
  readonly policy: string;
  readonly policyView: PolicyView;
  readonly mechanism: ActionMechanism;
}

/** Builds sequences and observations from one conversation's events (in file order). */
export function addConversation(
  events: readonly (TurnEvent | { type: 'branch'; chat: number; branch: number; fromBranch: number; atTurn: number })[],
  info: ConversationInfo,
  categoryIndex: (category: string) => number,
  out: { sequences: Step[][]; observations: TurnObservation[] },
): void {
  const paths = new Map<string, TurnEvent[]>();
  const parents = new Map<string, { from: string; atTurn: number }>();
  for (const event of events) {
    const key = `${event.chat}/${event.branch}`;
    if (event.type === 'branch') parents.set(key, { from: `${event.chat}/${event.fromBranch}`, atTurn: event.atTurn });
    else (paths.get(key) ?? paths.set(key, []).get(key) ?? []).push(event);
  }
  const prefix = (key: string, beforeTurn: number): TurnEvent[] => {
    const parent = parents.get(key);
    const own = (paths.get(key) ?? []).filter((e) => e.turn < beforeTurn);
    return parent === undefined ? own : [...prefix(parent.from, Math.min(parent.atTurn, beforeTurn)), ...own];
  };
  for (const [key, turns] of paths) {
    const parent = parents.get(key);
    const before = parent === undefined ? [] : prefix(parent.from, parent.atTurn);
    const steps: Step[] = before.map((e) => stepOf(e, -1, categoryIndex));
    let previous = before[before.length - 1];
    let atRiskSeen = before.some((e) => seen(e).atRisk);
    for (const event of turns) {
      const labels = seen(event);
      atRiskSeen ||= labels.atRisk;
      const prevLabels = previous === undefined ? undefined : seen(previous);
      const observation: TurnObservation = {
        user: info.user,
        cls: info.cls,
        policy: info.policy,
        labels,
        truth: event.user.labels,
        distress: Number.isFinite(event.model.signals.distress.value) ? event.model.signals.distress.value : null,
        preferenceSigned: latentSigned(event.model),
        expressions: expressionsOf(event.model),
        actionExpression: ownExpression(event.model),
        action: actionClass(event.model),
        mechanism: info.mechanism,
        atRiskSeen,
        redirectsBefore: previous?.redirects ?? 0,
        warnedBefore: previous?.warned ?? false,
        confirmationAsked: previous?.model.asksConfirmation === true,
        justVetoed: previous?.model.told !== undefined && !(prevLabels !== undefined && labels.severity > prevLabels.severity),
        policyView: info.policyView,
      };
      steps.push(stepOf(event, out.observations.length, categoryIndex));
      out.observations.push(observation);
      previous = event;
    }
    out.sequences.push(steps);
  }
}

const seen = (event: TurnEvent): TurnLabels => event.user.perceived ?? event.user.labels;

function stepOf(event: TurnEvent, observation: number, categoryIndex: (c: string) => number): Step {
  const labels = seen(event);
  return { category: categoryIndex(labels.category), severity: labels.severity, vetoAfter: event.model.told !== undefined, observation };
}

function ownExpression(model: TurnEvent['model']): boolean | null {
  const reading = (model.signals.readings ?? []).find((r) => r.source === 'simulated' && r.detail?.mechanism !== undefined);
  return reading === undefined ? null : reading.preference === 'end';
}

function latentSigned(model: TurnEvent['model']): number | null {
  const p = model.signals.preference;
  if (p.source !== 'simulated' || !Number.isFinite(p.strength)) return null;
  return p.choice === 'end' ? p.strength : -p.strength;
}
