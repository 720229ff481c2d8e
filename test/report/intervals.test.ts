import { describe, expect, it } from 'vitest';
import { MeanAccumulator, wilsonRate } from '../../src/report/intervals.ts';

describe('wilsonRate', () => {
  it('matches the textbook Wilson interval', () => {
    const rate = wilsonRate(0, 5);
    expect(rate?.value).toBe(0);
    expect(rate?.low).toBe(0);
    expect(rate?.high).toBeCloseTo(0.4345, 4);
    const half = wilsonRate(5, 10);
    expect(half?.low).toBeCloseTo(0.2366, 4);
    expect(half?.high).toBeCloseTo(0.7634, 4);
  });

  it('is null without trials', () => {
    expect(wilsonRate(0, 0)).toBeNull();
  });
});

describe('MeanAccumulator', () => {
  it('gives the mean with a normal 95% interval', () => {
    const acc = new MeanAccumulator();
    for (const v of [1, 2, 3, 4]) acc.add(v);
    const s = acc.summary();
    expect(s.mean).toBe(2.5);
    // sd = 1.2910, se = 0.6455, half-width = 1.2652
    expect(s.low).toBeCloseTo(1.2348, 4);
    expect(s.high).toBeCloseTo(3.7652, 4);
  });

  it('has a zero-width interval for one value', () => {
    const acc = new MeanAccumulator();
    acc.add(0.3);
    expect(acc.summary()).toEqual({ mean: 0.3, low: 0.3, high: 0.3 });
  });
});
