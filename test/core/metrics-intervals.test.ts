/** metrics.json's intervals are clustered on the user × model: checked against a hand computation. */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics.ts';
import type { ConversationRecord } from '../../src/core/records.ts';

function record(user: string, ended: boolean, exposure: number): ConversationRecord {
  return {
    status: 'completed', policy: 'p', basePolicy: 'p', sweep: {}, model: 'm', userKind: 'scenario', user, class: 'abusive', seed: 0,
    outcome: ended ? 'ended-by-model' : 'not-ended', turnsToEnd: ended ? 4 : null, redirectsBeforeEnd: ended ? 1 : null, turns: ended ? 4 : 10,
    distressExposure: exposure, peakDistress: 0, vetoedEnds: 0, preferEndTurns: 0, blockedAfterEnd: 0, branches: 0, newChats: 0,
    occupancy: { engaged: 1, redirecting: 0, ended: 0, branched: 0 },
  } as unknown as ConversationRecord;
}

// 3 users × 4 repetitions: a always ends, b in 2 of 4, c never. Exposures: a 0, b 0 or 1, c 3.
const records = [
  ...[0, 1, 2, 3].map(() => record('a', true, 0)),
  ...[0, 1, 2, 3].map((r) => record('b', r < 2, r % 2)),
  ...[0, 1, 2, 3].map(() => record('c', false, 3)),
];

describe('metrics.json intervals', () => {
  const [policy] = computeMetrics('x', records).policies;

  it('clusters the appropriate-end rate on users (ANOVA ρ, design effect, Korn–Graubard df)', () => {
    // hand: user means 1, ½, 0; MSB = 4·(¼ + 0 + ¼)/2 = 1; MSW = 1/9; n₀ = 4; ρ = (1 − 1/9)/(1 + 3/9) = 2/3;
    // D = 1 + 3·⅔ = 3; n_eff = 12/3 · (t₁₁/t₂)² = 4 · (2.200985/4.302653)² = 1.04672
    const n = 4 * (2.200985 / 4.302653) ** 2;
    const z = 1.959964;
    const half = (z * Math.sqrt(0.25 / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    expect(policy?.appropriateEndRate).toMatchObject({ value: 0.5, successes: 6, trials: 12, clusters: 3 });
    expect(policy?.appropriateEndRate?.icc).toBeCloseTo(2 / 3, 5);
    expect(policy?.appropriateEndRate?.effectiveN).toBeCloseTo(n, 4);
    expect(policy?.appropriateEndRate?.low).toBeCloseTo(0.5 - half, 5);
    expect(policy?.appropriateEndRate?.high).toBeCloseTo(0.5 + half, 5);
  });

  it('gives means a t interval over the 3 users, never below 0', () => {
    // user means 0, ½, 3: mean 7/6; sd of user means √(((7/6)² + (2/3)² + (11/6)²)/2) = 1.6073; t₂ · sd/√3 = 3.9928
    const exposure = policy?.distressExposure;
    expect(exposure).toMatchObject({ n: 12, clusters: 3, low: 0 });
    expect(exposure?.mean).toBeCloseTo(7 / 6, 5);
    const sd = Math.sqrt(((7 / 6) ** 2 + (2 / 3) ** 2 + (11 / 6) ** 2) / 2);
    expect(exposure?.high).toBeCloseTo(7 / 6 + 4.302653 * (sd / Math.sqrt(3)), 4);
  });

  it('adds Kaplan–Meier time to end with the share ended before turn 7', () => {
    // 6 ended at turn 4, 6 censored at turn 10: S(6) = 1 − 6/12
    expect(policy?.timeToEnd).toMatchObject({ conversations: 12, ended: 6, censored: 6 });
    expect(policy?.timeToEnd?.endedBeforeTurn7.value).toBe(0.5);
    expect(computeMetrics('x', records).groups[0]?.endedBeforeTurn7?.value).toBe(0.5);
  });
});
