import { describe, expect, it } from 'vitest';
import { MeanAccumulator, median, wilson } from '../../src/core/statistics.ts';

describe('wilson', () => {
  it('matches the textbook Wilson score interval', () => {
    // 0 of 10: the upper bound is z²/(n+z²) = 3.8415/13.8415
    expect(wilson(0, 10)).toEqual({ value: 0, low: 0, high: 0.277533, successes: 0, trials: 10 });
    expect(wilson(10, 10)).toEqual({ value: 1, low: 0.722467, high: 1, successes: 10, trials: 10 });
    expect(wilson(5, 10)).toEqual({ value: 0.5, low: 0.236593, high: 0.763407, successes: 5, trials: 10 });
    // checked against an independent computation of the same formula (Python, math.sqrt)
    expect(wilson(81, 263)).toEqual({ value: 0.307985, low: 0.255289, high: 0.36621, successes: 81, trials: 263 });
  });
  it('is empty for no trials', () => {
    expect(wilson(0, 0)).toEqual({ value: 0, low: 0, high: 0, successes: 0, trials: 0 });
  });
});

describe('MeanAccumulator', () => {
  it('gives the mean with a normal 95% interval', () => {
    const acc = new MeanAccumulator();
    for (const x of [1, 2, 3, 4, 5]) acc.add(x);
    // sd = 1.5811, se = 0.7071, half = 1.3859
    expect(acc.summary()).toEqual({ mean: 3, low: 1.614096, high: 4.385904 });
  });
  it('has a zero-width interval for a single value and zeros when empty', () => {
    const one = new MeanAccumulator();
    one.add(2.5);
    expect(one.summary()).toEqual({ mean: 2.5, low: 2.5, high: 2.5 });
    expect(new MeanAccumulator().summary()).toEqual({ mean: 0, low: 0, high: 0 });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
