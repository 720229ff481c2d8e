import { describe, expect, it } from 'vitest';
import { axisValues, expandSweep } from '../../src/core/sweep.ts';

describe('axisValues', () => {
  it('keeps a list as written', () => {
    expect(axisValues([3, 1, 2])).toEqual([3, 1, 2]);
  });

  it('expands an inclusive range without float drift', () => {
    expect(axisValues({ from: 0.5, to: 0.95, step: 0.05 })).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    expect(axisValues({ from: 0.1, to: 0.3, step: 0.1 })).toEqual([0.1, 0.2, 0.3]);
  });

  it('stops below `to` when the step does not land on it', () => {
    expect(axisValues({ from: 1, to: 6, step: 2 })).toEqual([1, 3, 5]);
  });

  it('gives no values when from is above to', () => {
    expect(axisValues({ from: 0.9, to: 0.5, step: 0.1 })).toEqual([]);
  });
});

describe('expandSweep', () => {
  it('gives one empty point without a sweep', () => {
    expect(expandSweep({})).toEqual([{}]);
  });

  it('takes the cartesian product in file order, the last axis fastest', () => {
    expect(expandSweep({ minRedirects: [1, 2], distressThreshold: { from: 0.5, to: 0.6, step: 0.1 } })).toEqual([
      { minRedirects: 1, distressThreshold: 0.5 },
      { minRedirects: 1, distressThreshold: 0.6 },
      { minRedirects: 2, distressThreshold: 0.5 },
      { minRedirects: 2, distressThreshold: 0.6 },
    ]);
    expect(expandSweep({ distressThreshold: [0.5, 0.6], minRedirects: [1, 2] })[1]).toEqual({
      distressThreshold: 0.5,
      minRedirects: 2,
    });
  });

  it('has no points when an axis is empty', () => {
    expect(expandSweep({ minRedirects: [1, 2], distressThreshold: { from: 1, to: 0, step: 0.1 } })).toEqual([]);
  });

  it('gives the 50 points of the shipped threshold sweep', () => {
    const points = expandSweep({ minRedirects: [0, 1, 2, 3, 5], distressThreshold: { from: 0.5, to: 0.95, step: 0.05 } });
    expect(points).toHaveLength(50);
    expect(points[49]).toEqual({ minRedirects: 5, distressThreshold: 0.95 });
  });
});
