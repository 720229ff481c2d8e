/**
 * The race (docs/tune.md): after each round, candidates whose interval shows them infeasible, or whose paired
 * difference on the objective shows them worse than a candidate proven feasible, leave. Pure: evidence in,
 * decisions out, so it is tested on synthetic evidence and the runner only feeds it records.
 */
import { normalQuantile } from '../stats/index.ts';
import { objectiveFigure, type Constraint, type Objective } from '../tune-schema.ts';
import type { Estimate, Evidence } from './evidence.ts';

/** Repetitions reached at the end of each round: geometric from `initial` to `max`, strictly increasing. */
export function repetitionSchedule(initial: number, max: number, rounds: number): number[] {
  const schedule: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const target = rounds === 1 ? max : Math.round(initial * (max / initial) ** (r / (rounds - 1)));
    const reps = Math.min(max, Math.max(target, (schedule.at(-1) ?? 0) + 1));
    if (reps > (schedule.at(-1) ?? 0)) schedule.push(reps);
  }
  if (schedule.at(-1) !== max) schedule.push(max);
  return schedule;
}

/**
 * Bonferroni: the number of intervals the race may look at. In each round every candidate has one interval per
 * constraint, and every pair of candidates one paired difference on the objective. The race's family-wise error
 * is at most 1 − confidence when every interval is built at 1 − (1 − confidence) / tests.
 */
export function bonferroniTests(candidates: number, rounds: number, constraints: number): number {
  return Math.max(1, rounds * (candidates * constraints + (candidates * (candidates - 1)) / 2));
}

export interface Level {
  /** Two-sided confidence of each interval. */
  readonly level: number;
  readonly z: number;
  readonly tests: number;
}

export function adjustedLevel(confidence: number, candidates: number, rounds: number, constraints: number): Level {
  const tests = bonferroniTests(candidates, rounds, constraints);
  const alpha = (1 - confidence) / tests;
  return { level: 1 - alpha, z: normalQuantile(1 - alpha / 2), tests };
}

export type Verdict = 'met' | 'violated' | 'unsettled';

export interface ConstraintCheck {
  readonly constraint: Constraint;
  readonly verdict: Verdict;
  readonly estimate: Estimate | null;
  /** Why the figure is 0 by construction (not a measurement), when it is. */
  readonly byConstruction: string | null;
}

/** One constraint on one candidate: met or violated only when the whole interval is on one side of the limit. */
export function checkConstraint(evidence: Evidence, candidate: string, constraint: Constraint): ConstraintCheck {
  const note = evidence.byConstruction(candidate, constraint.figure);
  if (note !== null) {
    // The figure is exactly 0 whatever the data: the constraint is decided by 0 against the limit, not measured.
    const met = constraint.bound === 'upper' ? 0 <= constraint.limit : 0 >= constraint.limit;
    return { constraint, verdict: met ? 'met' : 'violated', estimate: null, byConstruction: note };
  }
  const estimate = evidence.figure(candidate, constraint.figure);
  if (estimate === null || estimate.low === null || estimate.high === null) return { constraint, verdict: 'unsettled', estimate, byConstruction: null };
  const { low, high } = estimate;
  const verdict: Verdict =
    constraint.bound === 'upper'
      ? high <= constraint.limit ? 'met' : low > constraint.limit ? 'violated' : 'unsettled'
      : low >= constraint.limit ? 'met' : high < constraint.limit ? 'violated' : 'unsettled';
  return { constraint, verdict, estimate, byConstruction: null };
}

export interface Elimination {
  readonly candidate: string;
  readonly status: 'infeasible' | 'dominated';
  readonly reason: string;
}

const fmt = (x: number | null): string => (x === null ? '–' : Number(x.toPrecision(3)).toString());

/** `d` is provably better than `c` on the objective: the interval of c − d excludes 0 on c's bad side. */
export function provablyWorse(evidence: Evidence, c: string, d: string, objective: Objective): Estimate | null {
  const { figure, direction } = objectiveFigure(objective);
  const diff = evidence.difference(c, d, figure);
  if (diff === null || diff.low === null || diff.high === null) return null;
  return (direction === 'minimise' ? diff.low > 0 : diff.high < 0) ? diff : null;
}

/**
 * The round's decisions for the candidates still racing (in candidate order): first the infeasible leave, then any
 * candidate provably worse on the objective than one proven feasible on every constraint.
 */
export function decideRound(evidence: Evidence, racing: readonly string[], constraints: readonly Constraint[], objective: Objective): Elimination[] {
  const out: Elimination[] = [];
  const feasible: string[] = [];
  const remaining: string[] = [];
  for (const candidate of racing) {
    const checks = constraints.map((c) => checkConstraint(evidence, candidate, c));
    const violated = checks.find((c) => c.verdict === 'violated');
    if (violated) {
      const { figure, bound, limit } = violated.constraint;
      const why = violated.byConstruction !== null
        ? `${figure} is 0 by construction (${violated.byConstruction}), below the lower limit ${limit}`
        : `${figure} interval [${fmt(violated.estimate?.low ?? null)}, ${fmt(violated.estimate?.high ?? null)}] lies ${bound === 'upper' ? 'above' : 'below'} the limit ${limit}`;
      out.push({ candidate, status: 'infeasible', reason: why });
      continue;
    }
    remaining.push(candidate);
    if (checks.every((c) => c.verdict === 'met')) feasible.push(candidate);
  }
  const { figure } = objectiveFigure(objective);
  for (const candidate of remaining) {
    for (const other of feasible) {
      if (other === candidate) continue;
      const diff = provablyWorse(evidence, candidate, other, objective);
      if (diff) {
        out.push({ candidate, status: 'dominated', reason: `${figure} worse than ${other} by ${fmt(diff.value)} [${fmt(diff.low)}, ${fmt(diff.high)}] (paired)` });
        break;
      }
    }
  }
  return out;
}
