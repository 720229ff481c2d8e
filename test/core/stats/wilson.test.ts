import { describe, expect, it } from 'vitest';
import { normalQuantile, wilsonBounds, wilsonInterval, Z95 } from '../../../src/core/stats/index.ts';

describe('wilsonInterval', () => {
  // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
  // Statistics in Medicine 17:857–872 (1998), Table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe (1998): %f – %f', (x, n, low, high) => {
    const bounds = wilsonInterval(x, n);
    expect(bounds.low).toBeCloseTo(low, 4);
    expect(bounds.high).toBeCloseTo(high, 4);
  });

  it('is exactly 0 at 0 events and exactly 1 at n events, and accepts a fractional (effective) n', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    // 0 events: the upper bound is z²/(n + z²)
    expect(wilsonBounds(0, 3).high).toBeCloseTo((Z95 * Z95) / (3 + Z95 * Z95), 12);
    expect(wilsonBounds(0.5, 2.5).high).toBeGreaterThan(wilsonBounds(0.5, 3).high);
  });
});

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 6);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
  });
  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});
