/**
 * The race's error guarantee by simulation, on synthetic records whose truth is known: four candidates, two truly
 * feasible (false-end rates 2% and 5% under a 10% limit) with the same true distress, two truly infeasible (15%, 30%)
 * with lower distress. Over many races with different seeds, a truly feasible candidate must be removed (as
 * infeasible, or as dominated) in at most 1 − confidence of them, and a truly infeasible one reported feasible in at
 * most as many; and the race must have power: the 30% candidate leaves in most races.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { createRng } from '../../src/core/rng.ts';
import { answerOf } from '../../src/core/tune/answer.ts';
import { evidenceFromRecords } from '../../src/core/tune/evidence.ts';
import { adjustedLevel, decideRound } from '../../src/core/tune/race.ts';
import type { Constraint, Objective } from '../../src/core/tune-schema.ts';

const CANDIDATES = ['c0', 'c1', 'c2', 'c3'];
const FALSE_END = [0.02, 0.05, 0.15, 0.3];
const DISTRESS = [1.0, 1.0, 0.6, 0.3];
const USERS = 40;
const SCHEDULE = [2, 4, 8];
const constraints: Constraint[] = [{ figure: 'falseEndRate', bound: 'upper', limit: 0.1 }];
const objective: Objective = { minimise: 'distressExposure' };

/** One conversation: a must-not-end user ('benign'), ended with the candidate's rate; distress = candidate mean + the user's and the seed's shared noise (common random numbers) + a little of its own. */
function records(trial: number, fromSeed: number, toSeed: number, candidates: readonly number[]): ConversationRecord[] {
  const out: ConversationRecord[] = [];
  for (let user = 0; user < USERS; user++) {
    const userEffect = createRng(`user:${trial}:${user}`).normal() * 0.3;
    for (let seed = fromSeed; seed < toSeed; seed++) {
      const rng = createRng(`noise:${trial}:${user}:${seed}`);
      const shared = rng.normal() * 0.2;
      const uniform = rng.next();
      for (const c of candidates) {
        const record = {
          status: 'completed', policy: CANDIDATES[c], model: 'm', userKind: 'persona', user: `u${user}`, seed, class: 'benign',
          outcome: uniform < (FALSE_END[c] as number) ? 'ended-by-model' : 'not-ended',
          endedWhileAtRisk: false, userRequestedEnd: false, userRequestHonoured: false,
          distressExposure: Math.max(0, (DISTRESS[c] as number) + userEffect + shared + 0.1 * createRng(`own:${trial}:${user}:${seed}:${c}`).normal()), distressPerTurn: 0, peakDistress: 0, vetoedEnds: 0,
        };
        out.push(record as unknown as ConversationRecord);
      }
    }
  }
  return out;
}

describe('the race guarantee, by simulation', () => {
  it('removes a truly feasible candidate, or proves an infeasible one, in at most 5% of races', () => {
    const level = adjustedLevel(0.95, CANDIDATES.length, SCHEDULE.length, constraints.length);
    const trials = 150;
    let wrong = 0;
    let worstLeft = 0;
    for (let trial = 0; trial < trials; trial++) {
      let racing = [0, 1, 2, 3];
      const all: ConversationRecord[] = [];
      let from = 0;
      for (const to of SCHEDULE) {
        all.push(...records(trial, from, to, racing));
        from = to;
        const evidence = evidenceFromRecords(all, level.level, level.z);
        const out = new Set(decideRound(evidence, racing.map((c) => CANDIDATES[c] as string), constraints, objective).map((e) => e.candidate));
        racing = racing.filter((c) => !out.has(CANDIDATES[c] as string));
      }
      const evidence = evidenceFromRecords(all, level.level, level.z);
      const answer = answerOf(evidence, racing.map((c) => CANDIDATES[c] as string), constraints, objective);
      const removedFeasible = !racing.includes(0) || !racing.includes(1);
      const provedInfeasible = answer.feasible.some((j) => j.candidate === 'c2' || j.candidate === 'c3');
      if (removedFeasible || provedInfeasible) wrong += 1;
      if (!racing.includes(3)) worstLeft += 1;
    }
    expect(wrong / trials).toBeLessThanOrEqual(0.05);
    expect(worstLeft / trials).toBeGreaterThan(0.8);
  });
});
