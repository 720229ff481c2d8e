import { describe, expect, it } from 'vitest';
import { MeanTally, median, RateTally, TimeToEndTally } from '../../src/core/statistics.ts';

describe('RateTally', () => {
  it('is the textbook Wilson interval when every user is seen once', () => {
    // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    // Statistics in Medicine 17:857–872 (1998), Table I, method 3 (Wilson): 81/263 → 0.2553 to 0.3662, 0/20 → 0 to 0.1611;
    // 0/10 by hand: z²/(n + z²) = 3.8415/13.8415 = 0.2775
    const rate = (events: number, n: number) => {
      const tally = new RateTally();
      for (let i = 0; i < n; i++) tally.add(`user-${i}`, i < events);
      return tally.summary();
    };
    expect(rate(81, 263)).toMatchObject({ value: 0.307985, low: 0.255289, high: 0.36621, successes: 81, trials: 263, clusters: 263, effectiveN: 263 });
    expect(rate(0, 20)?.high).toBeCloseTo(0.1611, 4);
    expect(rate(0, 10)?.high).toBeCloseTo(0.2775, 4);
    expect(rate(10, 10)?.low).toBeCloseTo(0.7225, 4);
  });

  it('is null without trials, and [0, 1] from one user', () => {
    expect(new RateTally().summary()).toBeNull();
    const one = new RateTally();
    for (let i = 0; i < 10; i++) one.add('only', i < 3);
    expect(one.summary()).toMatchObject({ value: 0.3, low: 0, high: 1, clusters: 1, effectiveN: 0 });
  });
});

describe('MeanTally', () => {
  it('is the t interval with n − 1 degrees of freedom when every user is seen once', () => {
    const tally = new MeanTally(false);
    [1, 2, 3, 4, 5].forEach((x, i) => tally.add(`u${i}`, x));
    // sd = 1.5811, se = 0.7071, t_4 = 2.776445: half-width 1.963243
    expect(tally.summary()).toMatchObject({ mean: 3, low: 1.036757, high: 4.963243, n: 5, clusters: 5 });
  });

  it('has no interval from one user, and never a negative bound for a non-negative quantity', () => {
    const one = new MeanTally();
    one.add('only', 2.5);
    one.add('only', 3.5);
    expect(one.summary()).toMatchObject({ mean: 3, low: null, high: null, clusters: 1 });
    const skewed = new MeanTally();
    [0, 0, 0, 9].forEach((x, i) => skewed.add(`u${i}`, x));
    expect(skewed.summary().low).toBe(0);
  });
});

describe('TimeToEndTally', () => {
  it('censors conversations that did not end at their last turn and reads off "ended before turn 7"', () => {
    const tally = new TimeToEndTally();
    // 4 users: ends at turns 3 and 9, one left at turn 5, one reached the cap of 12
    tally.add({ userKind: 'scenario', user: 'a', model: 'm', turnsToEnd: 3, originalTurns: 3 });
    tally.add({ userKind: 'scenario', user: 'b', model: 'm', turnsToEnd: 9, originalTurns: 9 });
    tally.add({ userKind: 'scenario', user: 'c', model: 'm', turnsToEnd: null, originalTurns: 5 });
    tally.add({ userKind: 'scenario', user: 'd', model: 'm', turnsToEnd: null, originalTurns: 12 });
    const summary = tally.summary();
    expect(summary).toMatchObject({ conversations: 4, ended: 2, censored: 2 });
    // hand computation: S(6) = 1 − 1/4 = 0.75; S(9) = 0.75 · (1 − 1/2) = 0.375 (2 at risk at turn 9)
    expect(summary?.endedBeforeTurn7.value).toBe(0.25);
    expect(summary?.curve.find((p) => p.turn === 9)?.survival).toBe(0.375);
    expect(summary?.curve.find((p) => p.turn === 9)?.atRisk).toBe(1);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
