/**
 * The numbers `welfare-sim compare` prints never carry a negative zero: a paired difference whose bootstrap
 * interval is [-0.0004, 0.0003] printed as "-0.00 [-0.00, 0.00]" reads as a sign that is not there.
 */
import { describe, expect, it } from 'vitest';
import { fixed, formatMean, formatRate } from '../../src/report/comparison-table.ts';

describe('comparison numbers', () => {
  it('print values that round to zero without a minus sign, and keep real negatives', () => {
    expect([fixed(-0.0004, 2), fixed(-0, 2), fixed(0.0003, 2), fixed(-0.006, 2), fixed(-1.5, 1)]).toEqual(['0.00', '0.00', '0.00', '-0.01', '-1.5']);
    expect(formatMean({ mean: -0.0001, low: -0.0004, high: 0.0003 })).toBe('0.00 [0.00, 0.00]');
    expect(formatRate({ value: -0.0000001, low: -0.0000002, high: 0.01 } as Parameters<typeof formatRate>[0])).toBe('0.0% [0.0%, 1.0%]');
  });
});
