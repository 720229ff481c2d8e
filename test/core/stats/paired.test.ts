import { describe, expect, it } from 'vitest';
import { pairedMeanDifference, pairedProportionDifference, wilsonInterval, type BinaryPair } from '../../../src/core/stats/index.ts';

/** A paired 2×2 table as pairs, each pair its own cluster (or `perCluster` pairs per cluster). */
function pairsOf(both: number, firstOnly: number, secondOnly: number, neither: number, perCluster = 1): BinaryPair[] {
  const pairs: BinaryPair[] = [];
  const push = (count: number, first: boolean, second: boolean): void => {
    for (let i = 0; i < count; i++) pairs.push({ cluster: `u${Math.floor(pairs.length / perCluster)}`, first, second });
  };
  push(both, true, true);
  push(firstOnly, true, false);
  push(secondOnly, false, true);
  push(neither, false, false);
  return pairs;
}

describe('pairedProportionDifference (Newcombe 1998, method 10)', () => {
  it('matches Newcombe (1998) Table II: 20, 12, 2, 16 → 0.0562 to 0.3292', () => {
    // R. G. Newcombe, "Improved confidence intervals for the difference between binomial proportions based on
    // paired data", Statistics in Medicine 17:2635–2650 (1998), Table II, method 10.
    const result = pairedProportionDifference(pairsOf(20, 12, 2, 16));
    expect(result?.difference).toBeCloseTo(0.2, 12);
    expect(result?.low).toBeCloseTo(0.0562, 4);
    expect(result?.high).toBeCloseTo(0.3292, 4);
    expect(result).toMatchObject({ pairs: 50, clusters: 50, table: { both: 20, firstOnly: 12, secondOnly: 2, neither: 16 } });
  });

  it('matches Fagerland, Lydersen & Laake (2014), Table II data: 1, 1, 7, 12 → −0.507 to −0.026', () => {
    // M. W. Fagerland, S. Lydersen, P. Laake, "Recommended tests and confidence intervals for paired binomial
    // proportions", Statistics in Medicine 33:2850–2875 (2014): Newcombe's square-and-add interval for the airway
    // hyper-responsiveness data (Bentur et al. 2009).
    const result = pairedProportionDifference(pairsOf(1, 1, 7, 12));
    expect(result?.low).toBeCloseTo(-0.507, 3);
    expect(result?.high).toBeCloseTo(-0.026, 3);
  });

  it('is never zero-width when no pair disagrees, and the bound reflects the users, not the repetitions', () => {
    const eighty = pairedProportionDifference(pairsOf(0, 0, 0, 80));
    expect(eighty?.difference).toBe(0);
    expect(eighty?.low).toBeCloseTo(-wilsonInterval(0, 80).high, 12); // ±4.6 points over 80 independent pairs
    expect(eighty?.high).toBeCloseTo(wilsonInterval(0, 80).high, 12);
    // the same 80 pairs from 8 users repeated 10 times: ±(Wilson bound of 0 of 80 · (t_79 / t_7)²)
    const clustered = pairedProportionDifference(pairsOf(0, 0, 0, 80, 10));
    expect(clustered?.clusters).toBe(8);
    expect(clustered?.high).toBeCloseTo(wilsonInterval(0, 80 * (1.990450 / 2.364624) ** 2).high, 5);
    // concordant at p = ½, where method 10 alone collapses to a point
    const half = pairedProportionDifference(pairsOf(40, 0, 0, 40));
    expect((half?.high ?? 0) - (half?.low ?? 0)).toBeGreaterThan(0.05);
  });

  it('widens when the pairs come from few users', () => {
    const independent = pairedProportionDifference(pairsOf(20, 12, 2, 16));
    const clustered = pairedProportionDifference(pairsOf(20, 12, 2, 16, 10));
    expect((clustered?.high ?? 0) - (clustered?.low ?? 0)).toBeGreaterThan((independent?.high ?? 0) - (independent?.low ?? 0));
  });
});

describe('pairedMeanDifference', () => {
  const pairs = Array.from({ length: 60 }, (_, i) => ({ cluster: `u${i % 6}`, difference: -1 - (i % 6) * 0.3 + ((i * 7) % 5) * 0.1 }));

  it('is the t interval on the 6 user means with 5 degrees of freedom, in any order', () => {
    const a = pairedMeanDifference(pairs);
    // hand computation: the mean of each user's 10 differences, then mean ± t_5 · sd/√6
    const userMeans = [0, 1, 2, 3, 4, 5].map((u) => pairs.filter((p) => p.cluster === `u${u}`).reduce((s, p) => s + p.difference, 0) / 10);
    const mean = userMeans.reduce((x, y) => x + y, 0) / 6;
    const sd = Math.sqrt(userMeans.reduce((s, m) => s + (m - mean) ** 2, 0) / 5);
    const half = 2.570582 * (sd / Math.sqrt(6));
    expect(a?.mean).toBeCloseTo(mean, 12);
    expect(a?.low).toBeCloseTo(mean - half, 6);
    expect(a?.high).toBeCloseTo(mean + half, 6);
    const reversed = pairedMeanDifference([...pairs].reverse());
    expect(reversed?.low).toBeCloseTo(a?.low ?? NaN, 12);
    expect(a).toMatchObject({ pairs: 60, clusters: 6, differing: 60, interval: 't-clusters' });
  });

  it('gives no interval, rather than a zero-width one, when every pair has the same difference', () => {
    const same = pairedMeanDifference(pairs.map((p) => ({ ...p, difference: 0 })));
    expect(same).toMatchObject({ mean: 0, low: null, high: null, differing: 0, interval: 'all-pairs-equal' });
  });
});
