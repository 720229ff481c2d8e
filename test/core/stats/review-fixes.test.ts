import { describe, expect, it } from 'vitest';
import {
  clusteredMean, clusteredRate, endedBefore, intraclassCorrelation, kaplanMeier, pairedProportionDifference, pairsForPairedProportions,
  squareAndAdd, studentQuantile, survivalAt, tallyByCluster, wilsonInterval, type BinaryPair, type ClusterTally,
} from '../../../src/core/stats/index.ts';

const binary = (clusters: readonly (readonly [number, number])[]): ClusterTally[] =>
  clusters.map(([events, n], i) => ({ key: `user-${String(i).padStart(3, '0')}`, n, sum: events, sumOfSquares: events }));

describe('studentQuantile', () => {
  it('matches the printed t table (e.g. Fisher & Yates, Statistical Tables, table III; any statistics text)', () => {
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [5, 2.571], [9, 2.262], [29, 2.045], [120, 1.98]];
    for (const [df, t] of table) expect(studentQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
  });
});

describe('Newcombe method 10 with identical clusters of deterministic pairs', () => {
  it('reduces AD − BC by ½·Σm²/k, so 10 users × 5 identical pairs equal method 10 on the 10 users', () => {
    // 10 users with pair types (both, first only, second only, neither) = (4, 3, 0, 3), each repeated 5 times.
    const kinds: [boolean, boolean][] = [...Array(4).fill([true, true]), ...Array(3).fill([true, false]), ...Array(3).fill([false, false])];
    const pairs: BinaryPair[] = kinds.flatMap(([first, second], u) => Array.from({ length: 5 }, () => ({ cluster: `u${u}`, first, second })));
    const result = pairedProportionDifference(pairs);
    // Hand computation on the 10 users (Newcombe 1998, method 10): AD − BC = 4·3 − 3·0 = 12 > N/2 = 5, so
    // φ̂ = (12 − 5) / √((A+B)(C+D)(A+C)(B+D)) = 7 / √(7·3·4·6) = 0.31180
    expect(result?.correlation).toBeCloseTo(7 / Math.sqrt(504), 10);
    // with the users' Wilson limits 7/10 → [0.3968, 0.8922], 4/10 → [0.1682, 0.6873]:
    // L = 0.3 − √(0.3032² − 2·0.3118·0.3032·0.2873 + 0.2873²) = −0.047, U = 0.3 + √(…) = 0.551
    const onUsers = squareAndAdd(0.7, wilsonInterval(7, 10), 0.4, wilsonInterval(4, 10), 7 / Math.sqrt(504));
    expect(onUsers.low).toBeCloseTo(-0.0466, 3);
    expect(onUsers.high).toBeCloseTo(0.5508, 3);
    // the clustered result is that interval, widened only by the degrees-of-freedom adjustment of the margins
    expect(result?.low).toBeLessThan(onUsers.low);
    expect(result?.high).toBeGreaterThan(onUsers.high);
    const marginsAtUsers = squareAndAdd(0.7, result?.first ?? { low: 0, high: 1 }, 0.4, result?.second ?? { low: 0, high: 1 }, 7 / Math.sqrt(504));
    expect(result?.low).toBeCloseTo(marginsAtUsers.low, 12);
  });
});

describe('one rule when the ICC cannot be estimated', () => {
  it('gives a higher upper bound to more events over the same users (0, 1, 2 of 150 over 3 users, and over 30)', () => {
    for (const [users, size] of [[3, 50], [30, 5]] as const) {
      const highs = [0, 1, 2].map((events) => {
        const clusters = Array.from({ length: users }, (_, i) => [i === 0 ? events : 0, size] as const);
        return clusteredRate(binary(clusters))?.high ?? NaN;
      });
      expect(highs[1]).toBeGreaterThan(highs[0] as number);
      expect(highs[2]).toBeGreaterThan(highs[1] as number);
    }
  });
});

describe('mean intervals on few clusters', () => {
  it('is a t interval on the cluster means with k − 1 degrees of freedom (3 users)', () => {
    // user means 1, 2, 6 (4 repetitions each): mean 3, sd √7, half-width t_2 · √7/√3 = 4.302653 · 1.527525 = 6.5724
    const tallies = tallyByCluster([1, 2, 6].flatMap((m, u) => [m - 0.5, m + 0.5, m - 0.25, m + 0.25].map((value) => ({ cluster: `u${u}`, value }))));
    const result = clusteredMean(tallies);
    expect(result.mean).toBeCloseTo(3, 12);
    expect(result.low).toBeCloseTo(3 - 6.5724, 3);
    expect(result.high).toBeCloseTo(3 + 6.5724, 3);
    expect(clusteredMean(tallies, { nonNegative: true }).low).toBe(0);
  });

  it('gives no interval for one user, however many repetitions', () => {
    const one = clusteredMean(tallyByCluster([1, 2, 3, 4].map((value) => ({ cluster: 'only', value }))), { nonNegative: true });
    expect(one).toMatchObject({ mean: 2.5, low: null, high: null, interval: 'not-estimable' });
  });
});

describe('the ICC tolerance is relative', () => {
  it('measures the same ρ whatever the unit of the values', () => {
    const groups = [[1, 2, 3], [4, 6, 5], [9, 7, 8]];
    const at = (scale: number) => intraclassCorrelation(tallyByCluster(groups.flatMap((g, u) => g.map((v) => ({ cluster: `u${u}`, value: v * scale })))));
    const unit = at(1);
    expect(unit.estimable).toBe(true);
    for (const scale of [1e-9, 1e-4, 1e6]) expect(at(scale)).toEqual(unit.estimable ? { estimable: true, icc: expect.closeTo(unit.icc, 9) } : unit);
    // hand computation: MSB = 3·((2−5)² + (5−5)² + (8−5)²)/2 = 27, MSW = 6·1/6 = 1, ρ = (27 − 1)/(27 + 2·1) = 26/29
    if (unit.estimable) expect(unit.icc).toBeCloseTo(26 / 29, 12);
  });
});

describe('Kaplan–Meier at S = 1', () => {
  it('counts those censored at t among those known not to have ended by t', () => {
    // 10 conversations: 4 censored at turn 3 (users left), 6 ended at turn 8. Nobody ended by turn 3: 10 known.
    const curve = kaplanMeier([...Array(4).fill({ time: 3, ended: false }), ...Array(6).fill({ time: 8, ended: true })]);
    expect(survivalAt(curve, 3).low).toBeCloseTo(1 - wilsonInterval(0, 10).high, 12);
    expect(survivalAt(curve, 5).low).toBeCloseTo(1 - wilsonInterval(0, 6).high, 12);
    expect(endedBefore(curve, 4).high).toBeCloseTo(wilsonInterval(0, 10).high, 12);
  });
});

describe('pairsForPairedProportions', () => {
  it('rejects a difference larger than the discordant share allows', () => {
    expect(() => pairsForPairedProportions(0.1, 0.4, { alpha: 0.05, power: 0.8 })).toThrow(/Δ² ≤ ψ/);
  });
});
