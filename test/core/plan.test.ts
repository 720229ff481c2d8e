import { describe, expect, it } from 'vitest';
import { planFromPilot } from '../../src/core/plan.ts';
import type { ConversationRecord } from '../../src/core/records.ts';

/** Pilot records: `users` end-eligible users × `reps` repetitions; `ends(user, rep)` says whether it ended. */
function pilot(users: number, reps: number, ends: (user: number, rep: number) => boolean): ConversationRecord[] {
  const records: ConversationRecord[] = [];
  for (let u = 0; u < users; u++) {
    for (let r = 0; r < reps; r++) {
      const ended = ends(u, r);
      records.push({
        status: 'completed', policy: 'p', model: 'm', userKind: 'scenario', user: `u${u}`, class: 'abusive', seed: r,
        outcome: ended ? 'ended-by-model' : 'not-ended', turnsToEnd: ended ? 3 : null, turns: 5, distressExposure: u % 3, vetoedEnds: 0,
      } as unknown as ConversationRecord);
    }
  }
  return records;
}

describe('planFromPilot', () => {
  it('reproduces Sedgwick (BMJ 2013;346:f2839): 50% vs 65% needs 170 per policy when users are independent', () => {
    // 40 users seen once, half of them ended: ρ cannot matter (one observation per user), p = 0.5
    const plan = planFromPilot(pilot(40, 1, (u) => u % 2 === 0), { metric: 'appropriateEndRate', target: { difference: 0.15 } });
    const [arm] = plan.arms;
    expect(arm).toMatchObject({ pilotUsers: 40, estimate: 0.5, icc: 0 });
    expect(Math.ceil(arm?.independent ?? 0)).toBe(170); // 340 in all, the published figure
    expect(arm?.options.find((o) => o.repetitions === 1)?.users).toBe(170);
  });

  it('measures ρ = 1 for deterministic users, so repetitions do not reduce the users needed', () => {
    // 10 users × 5 repetitions, each user ending in all or none of them
    const plan = planFromPilot(pilot(10, 5, (u) => u < 5), { metric: 'appropriateEndRate', target: { difference: 0.15 }, repetitions: [20] });
    const [arm] = plan.arms;
    expect(arm?.icc).toBe(1);
    expect(arm?.options.map((o) => [o.repetitions, o.users])).toEqual([[1, 170], [5, 170], [20, 170]]);
  });

  it('plans an interval width from the pilot standard deviation, hand-computed', () => {
    // users' exposure is u mod 3 ∈ {0, 1, 2}, constant within a user: ρ = 1; 9 users × 2 repetitions
    const plan = planFromPilot(pilot(9, 2, () => false), { metric: 'distressExposure', target: { width: 0.5 } });
    const [arm] = plan.arms;
    // mean 1; variance Σ(x − 1)²/(n − 1) = 12/17; n = (2 · 1.959964 · √(12/17) / 0.5)² = 43.39
    expect(arm?.estimate).toBeCloseTo(1, 12);
    expect(arm?.independent).toBeCloseTo((2 * 1.959964 * Math.sqrt(12 / 17) / 0.5) ** 2, 3);
    expect(arm?.icc).toBe(1);
    expect(arm?.options.find((o) => o.repetitions === 2)?.users).toBe(44);
  });

  it('assumes ρ = 1, and says why, when the pilot cannot measure it', () => {
    const plan = planFromPilot(pilot(6, 4, () => false), { metric: 'appropriateEndRate', target: { width: 0.1 } });
    expect(plan.arms[0]).toMatchObject({ icc: null, iccNote: 'no variation in the pilot' });
    // observed 0: planned at p = ½, (2 · 1.96 · 0.5 / 0.1)² = 384.1 → 385 users whatever the repetitions
    expect(plan.arms[0]?.options.map((o) => o.users)).toEqual([385, 385]);
  });
});
