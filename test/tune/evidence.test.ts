/**
 * The race's evidence and bookkeeping checked against independent paths: figures against metrics.json's summaries
 * (MetricsAccumulator), paired differences against `compare --baseline` (paired-comparison.ts), the projection of an
 * interval against a hand computation, candidate expansion, and the grid indices a round runs against cellAt.
 */
import { describe, expect, it } from 'vitest';
import { cellAt } from '../../src/core/grid.ts';
import { computeMetrics } from '../../src/core/metrics.ts';
import { pairedDifferences } from '../../src/core/paired-comparison.ts';
import { DEFAULT_POLICY } from '../../src/core/policy.ts';
import { Z95 } from '../../src/core/stats/index.ts';
import { expandCandidates } from '../../src/core/tune/candidates.ts';
import { evidenceFromRecords } from '../../src/core/tune/evidence.ts';
import { projectInterval } from '../../src/core/tune/futility.ts';
import { gridSpecOf } from '../../src/runner/assemble-plan.ts';
import { candidateIndices, prepareTune } from '../../src/runner/tune/prepare-tune.ts';
import { fixtureRecords } from '../report/fixture-run.ts';

const { conversations } = fixtureRecords({ classes: ['abusive', 'benign', 'at-risk', 'emotional'], repetitions: 6 });
const A = 'last-resort[minRedirects=1]';
const B = 'last-resort[minRedirects=3]';

describe('evidence from records at 95%', () => {
  const evidence = evidenceFromRecords(conversations, 0.95, Z95);
  const summaries = computeMetrics('fixture', conversations).policies;

  it('gives the figures metrics.json gives', () => {
    for (const policy of [A, B]) {
      const summary = summaries.find((s) => s.policy === policy);
      const rate = evidence.figure(policy, 'appropriateEndRate');
      expect(rate?.value).toBeCloseTo(summary?.appropriateEndRate?.value ?? NaN, 6);
      expect(rate?.low).toBeCloseTo(summary?.appropriateEndRate?.low ?? NaN, 6);
      expect(rate?.high).toBeCloseTo(summary?.appropriateEndRate?.high ?? NaN, 6);
      const mean = evidence.figure(policy, 'distressExposure');
      expect(mean?.value).toBeCloseTo(summary?.distressExposure.mean ?? NaN, 6);
      expect(mean?.high).toBeCloseTo(summary?.distressExposure.high ?? NaN, 6);
    }
  });

  it('gives the paired differences compare --baseline gives', () => {
    const [difference] = pairedDifferences(conversations, B);
    const rate = evidence.difference(A, B, 'appropriateEndRate');
    expect(rate?.value).toBeCloseTo(difference?.appropriateEndRate?.mean ?? NaN, 6);
    expect(rate?.low).toBeCloseTo(difference?.appropriateEndRate?.low ?? NaN, 6);
    expect(rate?.high).toBeCloseTo(difference?.appropriateEndRate?.high ?? NaN, 6);
    const mean = evidence.difference(A, B, 'distressExposure');
    expect(mean?.value).toBeCloseTo(difference?.distressExposure?.mean ?? NaN, 6);
    expect(mean?.low).toBeCloseTo(difference?.distressExposure?.low ?? NaN, 6);
  });

  it('widens with the Bonferroni level', () => {
    const wide = evidenceFromRecords(conversations, 0.999, 3.2905267314919255).figure(A, 'distressExposure');
    const narrow = evidence.figure(A, 'distressExposure');
    expect((wide?.high ?? 0) - (wide?.low ?? 0)).toBeGreaterThan((narrow?.high ?? 0) - (narrow?.low ?? 0));
  });
});

describe('projectInterval', () => {
  it('shrinks by √(n_eff now / n_eff at the target), with ρ from the design effect (hand computation)', () => {
    // m = 4, design effect 2, so ρ = 1/3; at 16 per cluster n_eff = 10·16 / (1 + 15/3) = 26.67; shrink √(20/26.67).
    const p = projectInterval({ value: 0.5, low: 0.3, high: 0.7, n: 40, clusters: 10, effectiveN: 20 }, 4);
    expect(p?.low).toBeCloseTo(0.5 - 0.2 * Math.sqrt(0.75), 10);
    expect(p?.high).toBeCloseTo(0.5 + 0.2 * Math.sqrt(0.75), 10);
    // Independent repetitions (n_eff = n): four times the data halves the interval.
    const q = projectInterval({ value: 1, low: 0, high: 3, n: 40, clusters: 10, effectiveN: 40 }, 4);
    expect(q).toEqual({ low: 0.5, high: 2 });
  });
});

describe('candidates', () => {
  it('expands ranges, booleans and sets in file order, the last field fastest', () => {
    const { candidates, problems } = expandCandidates(DEFAULT_POLICY, { minRedirects: { min: 1, max: 2, step: 1 }, protectAtRisk: [true, false], endableCategories: [['abuse'], ['abuse', 'csam']] }, 100);
    expect(problems).toEqual([]);
    expect(candidates.map((c) => c.name).slice(0, 3)).toEqual([
      'last-resort[minRedirects=1,protectAtRisk=true,endableCategories=abuse]',
      'last-resort[minRedirects=1,protectAtRisk=true,endableCategories=abuse+csam]',
      'last-resort[minRedirects=1,protectAtRisk=false,endableCategories=abuse]',
    ]);
    expect(candidates).toHaveLength(8);
    expect(candidates[7]?.policy).toMatchObject({ minRedirects: 2, protectAtRisk: false, endableCategories: ['abuse', 'csam'], severityThreshold: 0.7 });
  });

  it('refuses values the policy field rejects and grids past maxCandidates', () => {
    expect(expandCandidates(DEFAULT_POLICY, { severityThreshold: [0.5, 1.5] }, 100).problems).toEqual([
      { path: 'tune.search.severityThreshold.1', message: expect.stringContaining('found 1.5') as string },
    ]);
    expect(expandCandidates(DEFAULT_POLICY, { minRedirects: { min: 0, max: 9, step: 1 } }, 5).problems[0]?.message).toContain('at most 5 candidates');
  });
});

describe('candidateIndices', () => {
  it('are the cells of that candidate and those repetitions, on every user and model', () => {
    const prepared = prepareTune('experiments/tune-last-resort.yaml');
    const spec = gridSpecOf(prepared.raceLoaded);
    const indices = candidateIndices(prepared, 5, 2, 4);
    const cellsPerRep = (prepared.loaded.scenarios.length + prepared.loaded.personas.length) * prepared.loaded.models.length;
    expect(indices).toHaveLength(cellsPerRep * 2);
    const cells = indices.map((i) => cellAt(spec, i));
    expect(new Set(cells.map((c) => c.policy))).toEqual(new Set([prepared.candidates[5]?.name]));
    expect(new Set(cells.map((c) => c.seed))).toEqual(new Set([2, 3]));
    expect(new Set(cells.map((c) => `${c.user}/${c.model}`)).size).toBe(cellsPerRep);
  });
});
