/**
 * When to stop a race before its last round because more repetitions cannot settle anything (docs/tune.md,
 * "Futility"). Repetitions of a user narrow an interval only as far as the users differ less than the repetitions
 * of one user do: with an intra-cluster correlation ρ the effective sample size of k users × m repetitions is
 * k·m / (1 + (m − 1)ρ), which tends to k/ρ however large m grows (design-effect.ts). The race projects every
 * pending interval to maxRepetitions with the ρ measured so far; when no projected interval would settle a pending
 * decision, the remaining rounds would be spent for nothing.
 *
 * The projection is a heuristic about cost, never about error: stopping early removes nobody and proves nothing, it
 * only leaves candidates unsettled, so the race's error guarantee (Bonferroni over the planned rounds) holds as it is.
 */
import { objectiveFigure, type Constraint, type Objective } from '../tune-schema.ts';
import type { Estimate, Evidence } from './evidence.ts';
import { checkConstraint } from './race.ts';

/** The interval `e` would have at `factor` × its repetitions, with the intra-cluster correlation it shows now. */
export function projectInterval(e: Estimate, factor: number): { low: number; high: number } | null {
  if (e.low === null || e.high === null) return null;
  const effective = e.effectiveN ?? e.n;
  if (!(effective > 0) || e.clusters < 1) return null;
  const m = e.n / e.clusters;
  const deff = e.n / effective;
  // ρ from the design effect 1 + (m − 1)ρ; unknown with one observation per user: assume 0 (the optimistic side).
  const rho = m > 1 ? Math.min(1, Math.max(0, (deff - 1) / (m - 1))) : 0;
  const mMax = m * factor;
  const effectiveMax = (e.clusters * mMax) / (1 + (mMax - 1) * rho);
  const shrink = Math.sqrt(effective / Math.max(effective, effectiveMax));
  return { low: e.value - (e.value - e.low) * shrink, high: e.value + (e.high - e.value) * shrink };
}

function couldSettle(constraint: Constraint, projected: { low: number; high: number }): boolean {
  return constraint.bound === 'upper'
    ? projected.high <= constraint.limit || projected.low > constraint.limit
    : projected.low >= constraint.limit || projected.high < constraint.limit;
}

/**
 * The racing candidates that still have a decision more repetitions could settle: an unsettled constraint whose
 * interval, projected to `factor` × the current repetitions, would fall on one side of its limit, or an undecided
 * objective comparison with another racing candidate whose projected paired interval would exclude 0. The others
 * are parked: they stay in the race (unsettled) but get no more repetitions. Empty: the race is futile.
 */
export function activeCandidates(evidence: Evidence, racing: readonly string[], constraints: readonly Constraint[], objective: Objective, factor: number): Set<string> {
  const active = new Set<string>();
  for (const candidate of racing) {
    for (const constraint of constraints) {
      const check = checkConstraint(evidence, candidate, constraint);
      if (check.verdict !== 'unsettled') continue;
      const projected = check.estimate ? projectInterval(check.estimate, factor) : null;
      if (projected === null || couldSettle(constraint, projected)) active.add(candidate);
    }
  }
  const { figure } = objectiveFigure(objective);
  for (const a of racing) {
    for (const b of racing) {
      if (a >= b || (active.has(a) && active.has(b))) continue;
      const d = evidence.difference(a, b, figure);
      if (d === null || d.low === null || d.high === null) continue; // no variation: more of the same will not differ
      if (d.low > 0 || d.high < 0) continue; // decided already (the better one is not proven feasible yet)
      const projected = projectInterval(d, factor);
      if (projected === null || projected.low > 0 || projected.high < 0) {
        active.add(a);
        active.add(b);
      }
    }
  }
  return active;
}
