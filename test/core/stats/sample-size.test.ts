import { describe, expect, it } from 'vitest';
import { clusteredSize, designEffect, observationsForWidth, pairsForMeanDifference, pairsForPairedProportions, perArmForTwoProportions } from '../../../src/core/stats/index.ts';

const power80 = { alpha: 0.05, power: 0.8 };

describe('sample sizes with a design effect', () => {
  it('reproduces the cluster trial of Sedgwick (BMJ 2013;346:f2839): 340 patients → 1104 in 24 practices of 46', () => {
    // 50% vs 65%, 80% power, two-sided 5%: 340 patients under individual randomisation; ICC 0.05 and 46 patients per
    // practice give 1104 patients in 24 practices (P. Sedgwick, "Cluster randomised controlled trials: sample size
    // calculations", BMJ 346:f2839, 2013).
    const perArm = Math.ceil(perArmForTwoProportions(0.5, 0.65, power80));
    expect(2 * perArm).toBe(340);
    expect(designEffect(46, 0.05)).toBeCloseTo(3.25, 12);
    const clustered = clusteredSize(perArm, 46, 0.05);
    expect(2 * clustered.observations).toBeCloseTo(1105, 6); // published 1104 = 24 × 46 whole practices
    expect(Math.round(2 * clustered.exactUsers)).toBe(24);
    expect(clustered.users).toBe(13); // per arm, rounded up: a plan never rounds a requirement down
  });

  it('needs n·ρ users however many repetitions a deterministic user gets', () => {
    expect(clusteredSize(200, 1, 1).users).toBe(200);
    expect(clusteredSize(200, 50, 1).users).toBe(200);
    expect(clusteredSize(200, 10, 0).users).toBe(20);
  });

  it('uses the textbook formulas for paired and width-based sizes', () => {
    // (1.96 + 0.8416)² = 7.849: one standard deviation difference needs 7.85 pairs
    expect(pairsForMeanDifference(1, 1, power80)).toBeCloseTo(7.849, 3);
    // Connor's formula (Biometrics 43:207–211, 1987) by hand: ψ = 0.3, Δ = 0.1 → [1.96√0.3 + 0.8416√0.29]² / 0.01
    // = (1.07355 + 0.45322)² / 0.01 = 233.09
    expect(pairsForPairedProportions(0.3, 0.1, power80)).toBeCloseTo(233.09, 1);
    // a proportion near ½ to ±5 points (width 0.1) needs 384 observations, the familiar survey figure
    expect(observationsForWidth(0.5, 0.1)).toBeCloseTo(384.1, 1);
  });
});
