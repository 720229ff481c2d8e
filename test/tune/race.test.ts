import { describe, expect, it } from 'vitest';
import { answerOf, sameUpToTies } from '../../src/core/tune/answer.ts';
import type { Estimate, Evidence } from '../../src/core/tune/evidence.ts';
import { adjustedLevel, bonferroniTests, decideRound, repetitionSchedule } from '../../src/core/tune/race.ts';
import type { Constraint, Objective, TuneFigure } from '../../src/core/tune-schema.ts';

const est = (value: number, low: number, high: number): Estimate => ({ value, low, high, n: 100, clusters: 10 });

/** Synthetic evidence: figures and differences given by table; differences are antisymmetric. */
function synthetic(figures: Record<string, Partial<Record<TuneFigure, Estimate>>>, diffs: Record<string, Estimate>, construction: Record<string, string> = {}): Evidence {
  return {
    figure: (c, f) => figures[c]?.[f] ?? null,
    difference: (a, b) => {
      const d = diffs[`${a}-${b}`];
      if (d) return d;
      const r = diffs[`${b}-${a}`];
      return r ? est(-r.value, -(r.high as number), -(r.low as number)) : est(0, -1, 1);
    },
    byConstruction: (c, f) => construction[`${c}/${f}`] ?? null,
  };
}

const objective: Objective = { minimise: 'distressExposure' };
const falseEnd: Constraint = { figure: 'falseEndRate', bound: 'upper', limit: 0.05 };

describe('repetition schedule', () => {
  it('grows geometrically from the first to the last round and ends at the maximum', () => {
    expect(repetitionSchedule(2, 16, 4)).toEqual([2, 4, 8, 16]);
    expect(repetitionSchedule(5, 5, 3)).toEqual([5]);
    expect(repetitionSchedule(1, 3, 6)).toEqual([1, 2, 3]);
    expect(repetitionSchedule(3, 20, 1)).toEqual([20]);
  });
});

describe('Bonferroni level', () => {
  it('counts constraint intervals per candidate and objective differences per pair, every round', () => {
    expect(bonferroniTests(4, 3, 2)).toBe(3 * (4 * 2 + 6));
  });
  it('gives the textbook z: 1.960 for one test at 95%, 2.807 for ten (the 0.9975 normal quantile)', () => {
    expect(adjustedLevel(0.95, 1, 1, 1).z).toBeCloseTo(1.96, 3);
    // 1 round, 2 candidates, 4 constraints: 8 + 1 = 9 tests; 5 candidates, 0 constraints: 10 pairs.
    const ten = adjustedLevel(0.95, 5, 1, 0);
    expect(ten.tests).toBe(10);
    expect(ten.z).toBeCloseTo(2.807, 3);
    expect(ten.level).toBeCloseTo(0.995, 10);
  });
});

describe('decideRound', () => {
  it('drops a candidate whose interval lies wholly above an upper limit, keeps one that straddles it', () => {
    const e = synthetic({ a: { falseEndRate: est(0.2, 0.1, 0.3) }, b: { falseEndRate: est(0.04, 0.01, 0.09) } }, {});
    const out = decideRound(e, ['a', 'b'], [falseEnd], objective);
    expect(out).toEqual([{ candidate: 'a', status: 'infeasible', reason: expect.stringContaining('above the limit 0.05') as string }]);
  });

  it('drops a candidate provably worse than a feasible one, not one worse than an unsettled one', () => {
    const e = synthetic(
      {
        a: { falseEndRate: est(0.01, 0, 0.04), distressExposure: est(1, 0.8, 1.2) },
        b: { falseEndRate: est(0.01, 0, 0.04), distressExposure: est(2, 1.8, 2.2) },
        c: { falseEndRate: est(0.04, 0.01, 0.08), distressExposure: est(0.5, 0.3, 0.7) },
      },
      { 'b-a': est(1, 0.5, 1.5), 'a-c': est(0.5, 0.2, 0.8) },
    );
    const out = decideRound(e, ['a', 'b', 'c'], [falseEnd], objective);
    // c is better than a but not proven feasible: it cannot remove a. a is feasible and removes b.
    expect(out.map((x) => [x.candidate, x.status])).toEqual([['b', 'dominated']]);
  });

  it('decides a constraint on a figure that cannot occur by 0 against the limit, and says so', () => {
    const e = synthetic({ a: {} }, {}, { 'a/falseEndRate': 'cannot occur: the policy permits no end' });
    expect(decideRound(e, ['a'], [falseEnd], objective)).toEqual([]);
    const lower: Constraint = { figure: 'falseEndRate', bound: 'lower', limit: 0.1 };
    const out = decideRound(e, ['a'], [lower], objective);
    expect(out[0]?.reason).toContain('0 by construction');
  });

  it('maximises: drops the candidate whose difference interval lies below 0', () => {
    const max: Objective = { maximise: 'appropriateEndRate' };
    const e = synthetic({ a: {}, b: {} }, { 'a-b': est(-0.3, -0.5, -0.1) });
    expect(decideRound(e, ['a', 'b'], [], max).map((x) => x.candidate)).toEqual(['a']);
  });
});

describe('answer', () => {
  const e = synthetic(
    {
      a: { falseEndRate: est(0.01, 0, 0.04), distressExposure: est(1, 0.8, 1.2) },
      b: { falseEndRate: est(0.0, 0, 0.03), distressExposure: est(1.05, 0.85, 1.25) },
      c: { falseEndRate: est(0.02, 0, 0.045), distressExposure: est(1.1, 0.9, 1.3) },
      d: { falseEndRate: est(0.04, 0.02, 0.07), distressExposure: est(0.2, 0.1, 0.3) },
    },
    {},
  );
  it('keeps the feasible Pareto set on point estimates and recommends the best objective', () => {
    const answer = answerOf(e, ['a', 'b', 'c', 'd'], [falseEnd], objective);
    expect(answer.unsettled).toEqual(['d']);
    expect(answer.pareto.map((j) => j.candidate)).toEqual(['a', 'b']); // c is worse than a on both
    expect(answer.recommended?.candidate).toBe('a');
  });
  it('treats a difference within intervals as a tie', () => {
    expect(sameUpToTies(['a'], ['a', 'b'], e, [falseEnd], objective).same).toBe(true);
    const apart = synthetic({ a: { falseEndRate: est(0, 0, 0.01) }, b: { falseEndRate: est(0, 0, 0.01) } }, { 'a-b': est(1, 0.5, 1.5) });
    expect(sameUpToTies(['a'], ['b'], apart, [falseEnd], objective)).toEqual({ same: false, untied: ['a', 'b'] });
  });
});
