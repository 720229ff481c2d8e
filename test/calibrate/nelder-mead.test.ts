/** The Nelder–Mead minimiser on Rosenbrock's function (minimum 0 at (1, 1, …); Rosenbrock 1960, Comput. J. 3:175). */
import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/calibrate/nelder-mead.ts';

const rosenbrock = (x: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
};

describe('nelderMead', () => {
  it('finds the 2-D Rosenbrock minimum from the classic start (−1.2, 1)', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], { tolerance: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
    expect(r.value).toBeLessThan(1e-8);
  });

  it('finds the 4-D Rosenbrock minimum', () => {
    const r = nelderMead(rosenbrock, [-1, 0.5, -0.5, 1.5], { tolerance: 1e-14, maxEvaluations: 40000, restarts: 6 });
    for (const v of r.x) expect(v).toBeCloseTo(1, 2);
  });

  it('minimises a shifted quadratic exactly and survives non-finite values', () => {
    const r = nelderMead((x) => ((x[0] as number) > 10 ? Number.NaN : ((x[0] as number) - 3) ** 2 + ((x[1] as number) + 2) ** 2), [0, 0]);
    expect(r.x[0]).toBeCloseTo(3, 4);
    expect(r.x[1]).toBeCloseTo(-2, 4);
  });
});
