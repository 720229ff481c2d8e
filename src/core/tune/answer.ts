/**
 * The answer of a race (or of an exhaustive grid, judged by the same rule): the candidates proven feasible, their
 * Pareto set on the point estimates of the objective and the constrained figures, and the recommended policy.
 */
import { objectiveFigure, type Constraint, type Objective, type TuneFigure } from '../tune-schema.ts';
import type { Estimate, Evidence } from './evidence.ts';
import { checkConstraint, provablyWorse, type ConstraintCheck } from './race.ts';

export interface Judged {
  readonly candidate: string;
  readonly objective: Estimate | null;
  readonly checks: readonly ConstraintCheck[];
  readonly feasible: boolean;
}

export interface Answer {
  /** Proven feasible on every constraint, and not provably worse on the objective than another such candidate. */
  readonly feasible: readonly Judged[];
  /** Not settled: some constraint interval still straddles its limit. */
  readonly unsettled: readonly string[];
  /** The Pareto set of `feasible` (objective and constrained figures, point estimates), in candidate order. */
  readonly pareto: readonly Judged[];
  /** Best objective estimate in the Pareto set; ties go to the earlier candidate. Null when nothing is feasible. */
  readonly recommended: Judged | null;
}

function judge(evidence: Evidence, candidate: string, constraints: readonly Constraint[], objective: Objective): Judged {
  const checks = constraints.map((c) => checkConstraint(evidence, candidate, c));
  return {
    candidate,
    objective: evidence.figure(candidate, objectiveFigure(objective).figure),
    checks,
    feasible: checks.every((c) => c.verdict === 'met'),
  };
}

/** A figure's point estimate, oriented so that smaller is better; 0 for a figure that is 0 by construction. */
function costs(j: Judged, objective: Objective): number[] {
  const { direction } = objectiveFigure(objective);
  const o = j.objective?.value ?? 0;
  return [
    direction === 'minimise' ? o : -o,
    ...j.checks.map((c) => {
      const value = c.estimate?.value ?? 0;
      return c.constraint.bound === 'upper' ? value : -value;
    }),
  ];
}

function dominates(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x, i) => x <= (b[i] as number)) && a.some((x, i) => x < (b[i] as number));
}

export function answerOf(evidence: Evidence, candidates: readonly string[], constraints: readonly Constraint[], objective: Objective): Answer {
  const judged = candidates.map((c) => judge(evidence, c, constraints, objective));
  const proven = judged.filter((j) => j.feasible);
  const feasible = proven.filter((j) => !proven.some((k) => k !== j && provablyWorse(evidence, j.candidate, k.candidate, objective) !== null));
  const unsettled = judged.filter((j) => !j.feasible && j.checks.every((c) => c.verdict !== 'violated')).map((j) => j.candidate);
  const pareto = feasible.filter((j) => !feasible.some((k) => k !== j && dominates(costs(k, objective), costs(j, objective))));
  let recommended: Judged | null = null;
  for (const j of pareto) if (recommended === null || (costs(j, objective)[0] as number) < (costs(recommended, objective)[0] as number)) recommended = j;
  return { feasible, unsettled, pareto, recommended };
}

/**
 * Whether two answers agree up to ties within intervals: every candidate in one Pareto set and not the other is
 * tied on the full evidence — a constraint it is judged on is unsettled there, or its objective is not provably
 * different from some member of the other set (the paired interval contains 0).
 */
export function sameUpToTies(a: readonly string[], b: readonly string[], full: Evidence, constraints: readonly Constraint[], objective: Objective): { same: boolean; untied: string[] } {
  const { figure } = objectiveFigure(objective);
  const tied = (x: string, others: readonly string[]): boolean => {
    if (constraints.some((c) => checkConstraint(full, x, c).verdict === 'unsettled')) return true;
    return others.some((y) => {
      const d = full.difference(x, y, figure as TuneFigure);
      return d === null || d.low === null || d.high === null || (d.low <= 0 && d.high >= 0);
    });
  };
  const untied = [...a.filter((x) => !b.includes(x) && !tied(x, b)), ...b.filter((x) => !a.includes(x) && !tied(x, a))];
  return { same: untied.length === 0, untied };
}
