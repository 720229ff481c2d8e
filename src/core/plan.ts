/**
 * `welfare-sim plan`: from a pilot run, how many users (and repetitions of each) a study needs to detect a difference
 * in one metric, or to estimate it to a given interval width — with the intra-cluster correlation the pilot measured.
 * Pure: records in, a plan out (src/cli/commands/plan.ts reads and prints). Methods: docs/statistics.md, "Planning".
 */
import { classGroup, type ClassGroup } from './labels.ts';
import type { ConversationRecord } from './records.ts';
import { ClusterTallies, clusterKey, clusteredSize, intraclassCorrelation, observationsForWidth, perArmForTwoProportions, pairsForMeanDifference } from './stats/index.ts';
import type { ClusteredSize, Power } from './stats/index.ts';

/** The metrics a plan can be made for: rates over a class group, or per-conversation means. */
export const PLAN_METRICS = {
  appropriateEndRate: { kind: 'rate', group: 'end-eligible' },
  falseEndRate: { kind: 'rate', group: 'must-not-end' },
  atRiskEndRate: { kind: 'rate', group: 'must-never-end' },
  userRequestHonouredRate: { kind: 'rate', group: 'user-requests-end' },
  distressExposure: { kind: 'mean' },
  vetoedEnds: { kind: 'mean' },
} as const satisfies Record<string, { kind: 'rate'; group: ClassGroup } | { kind: 'mean' }>;

export type PlanMetric = keyof typeof PLAN_METRICS;

export type PlanTarget = { readonly difference: number } | { readonly width: number };

export interface PlanRequest {
  readonly metric: PlanMetric;
  readonly target: PlanTarget;
  readonly power?: Power;
  /** Repetitions per user to plan for; the pilot's own and 1 are always included. */
  readonly repetitions?: readonly number[];
}

export interface ArmPlan {
  readonly policy: string;
  readonly model: string;
  readonly pilotUsers: number;
  readonly pilotConversations: number;
  /** Pilot estimate: the rate, or the mean. */
  readonly estimate: number;
  /** Standard deviation of one conversation's value (√(p(1 − p)) for a rate). */
  readonly sd: number;
  /** The ρ measured, or null when the pilot cannot estimate it (then the plan assumes ρ = 1). */
  readonly icc: number | null;
  readonly iccNote: string | null;
  /** Independent observations needed (per arm, for a difference). */
  readonly independent: number;
  readonly options: readonly ClusteredSize[];
}

export interface Plan {
  readonly metric: PlanMetric;
  readonly target: PlanTarget;
  readonly power: Power;
  readonly arms: readonly ArmPlan[];
}

const DEFAULT_POWER: Power = { alpha: 0.05, power: 0.8 };

function valueOf(metric: PlanMetric, record: ConversationRecord): number | null {
  const spec = PLAN_METRICS[metric];
  if (spec.kind === 'rate') return classGroup(record.class) === spec.group ? Number(record.outcome !== 'not-ended') : null;
  return metric === 'distressExposure' ? record.distressExposure : record.vetoedEnds;
}

/** Independent observations for the target, from the pilot's estimate and sd. */
function independentSize(metric: PlanMetric, estimate: number, sd: number, target: PlanTarget, power: Power): number {
  const rate = PLAN_METRICS[metric].kind === 'rate';
  if ('width' in target) {
    // a rate observed at 0 or 1 has no spread to plan from: plan for the widest case, p = ½
    const spread = rate && (estimate <= 0 || estimate >= 1) ? 0.5 : sd;
    return observationsForWidth(spread, target.width);
  }
  if (rate) {
    const other = estimate + target.difference <= 1 ? estimate + target.difference : estimate - target.difference;
    return perArmForTwoProportions(estimate, other, power);
  }
  // two independent arms of n each: n = 2((z_α + z_β)σ/Δ)²
  return 2 * pairsForMeanDifference(sd, target.difference, power);
}

export function planFromPilot(records: readonly ConversationRecord[], request: PlanRequest): Plan {
  const power = request.power ?? DEFAULT_POWER;
  const byArm = new Map<string, { policy: string; model: string; tallies: ClusterTallies; n: number; sum: number; squares: number }>();
  for (const record of records) {
    if (record.status !== 'completed') continue;
    const value = valueOf(request.metric, record);
    if (value === null) continue;
    const id = `${record.policy}\u0000${record.model}`;
    let arm = byArm.get(id);
    if (arm === undefined) byArm.set(id, (arm = { policy: record.policy, model: record.model, tallies: new ClusterTallies(), n: 0, sum: 0, squares: 0 }));
    arm.tallies.add(clusterKey(record), value);
    arm.n += 1;
    arm.sum += value;
    arm.squares += value * value;
  }
  const arms: ArmPlan[] = [...byArm.values()].map((arm) => {
    const tallies = arm.tallies.tallies();
    const estimate = arm.sum / arm.n;
    const sd = arm.n > 1 ? Math.sqrt(Math.max(0, (arm.squares - arm.n * estimate * estimate) / (arm.n - 1))) : 0;
    const measured = intraclassCorrelation(tallies);
    const icc = measured.estimable ? measured.icc : measured.reason === 'one-per-cluster' ? 0 : null;
    const iccNote = measured.estimable || measured.reason === 'one-per-cluster' ? null : measured.reason === 'one-cluster' ? 'one user in the pilot' : 'no variation in the pilot';
    // never fewer than 2 independent observations: a pilot without spread says nothing about the study's
    const independent = Math.max(2, independentSize(request.metric, estimate, sd, request.target, power));
    const pilotRepetitions = Math.max(1, Math.round(arm.n / tallies.length));
    const repetitions = [...new Set([1, pilotRepetitions, ...(request.repetitions ?? [])])].sort((a, b) => a - b);
    return {
      policy: arm.policy,
      model: arm.model,
      pilotUsers: tallies.length,
      pilotConversations: arm.n,
      estimate,
      sd,
      icc,
      iccNote,
      independent,
      options: repetitions.map((m) => clusteredSize(independent, m, icc ?? 1)),
    };
  });
  return { metric: request.metric, target: request.target, power, arms };
}
