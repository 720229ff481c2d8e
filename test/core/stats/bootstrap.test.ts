import { describe, expect, it } from 'vitest';
import { bootstrapMeans, clusteredMean, tallyByCluster } from '../../../src/core/stats/index.ts';

// Skewed, non-negative values per user, like distress exposure: most near 0, a few large.
const observations = Array.from({ length: 40 }, (_, i) => ({ cluster: `user-${i % 5}`, value: i % 5 === 4 ? 6 + (i % 3) : (i % 2) * 0.05 }));

describe('clusteredMean', () => {
  const tallies = tallyByCluster(observations);

  it('never goes below 0 for a non-negative quantity where a normal interval would', () => {
    const result = clusteredMean(tallies, { seed: 'exposure', nonNegative: true });
    const values = observations.map((o) => o.value);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const userMeans = [0, 1, 2, 3, 4].map((u) => observations.filter((o) => o.cluster === `user-${u}`).reduce((a, o) => a + o.value, 0) / 8);
    const sdOfUserMeans = Math.sqrt(userMeans.reduce((a, m) => a + (m - mean) ** 2, 0) / 4);
    expect(mean - 1.96 * (sdOfUserMeans / Math.sqrt(5))).toBeLessThan(0); // the clustered normal interval would
    expect(result.mean).toBeCloseTo(mean, 12);
    expect(result.low).toBeGreaterThanOrEqual(0);
    expect(result).toMatchObject({ interval: 'cluster-bootstrap', clusters: 5, n: 40 });
  });

  it('agrees with a direct enumeration of every resample of the 5 users', () => {
    // All 5⁵ = 3125 equally likely resamples, enumerated: the exact bootstrap distribution.
    const sums = tallies.map((t) => t.sum);
    const exact: number[] = [];
    for (let code = 0; code < 5 ** 5; code++) {
      let sum = 0;
      for (let c = code, i = 0; i < 5; i++, c = Math.floor(c / 5)) sum += sums[c % 5] as number;
      exact.push(sum / 40);
    }
    exact.sort((a, b) => a - b);
    const result = clusteredMean(tallies, { seed: 'exposure', nonNegative: true, replicates: 20000 });
    expect(Math.abs(result.low - (exact[Math.floor(0.025 * exact.length)] as number))).toBeLessThan(0.15);
    expect(Math.abs(result.high - (exact[Math.floor(0.975 * exact.length)] as number))).toBeLessThan(0.15);
  });

  it('is deterministic: same tallies and seed, same numbers; another seed, other replicates', () => {
    expect(bootstrapMeans(tallies, 'a')).toEqual(bootstrapMeans(tallyByCluster([...observations].reverse()), 'a'));
    expect(bootstrapMeans(tallies, 'a')).not.toEqual(bootstrapMeans(tallies, 'b'));
  });

  it('describes one user by its repetitions, on the log scale for a non-negative quantity', () => {
    const one = clusteredMean(tallyByCluster([1, 2, 3, 4].map((value) => ({ cluster: 'only', value }))), { seed: 's', nonNegative: true });
    expect(one.interval).toBe('one-cluster');
    expect(one.icc).toBe(1);
    expect(one.low).toBeGreaterThan(0);
    expect(one.low * one.high).toBeCloseTo(2.5 * 2.5, 10); // symmetric on the log scale around the mean
  });
});
