import { describe, expect, it } from 'vitest';
import { cellAt, commonRandomSeed, gridSize, policyVariantName, shardIndices, type GridSpec } from '../../src/core/grid.ts';
import { DEFAULT_POLICY } from '../../src/core/policy.ts';

const spec: GridSpec = {
  experiment: 'grid-test',
  seed: 9,
  repetitions: 2,
  users: [
    { id: 'a', kind: 'scenario', class: 'abusive' },
    { id: 'b', kind: 'persona', class: 'benign' },
  ],
  models: ['m1', 'm2'],
  policies: [DEFAULT_POLICY, { ...DEFAULT_POLICY, name: 'eager', minRedirects: 1 }],
  sweep: [{ distressThreshold: 0.5 }, { distressThreshold: 0.9 }],
};

describe('the experiment grid', () => {
  it('has users × models × policies × sweep points × repetitions cells', () => {
    expect(gridSize(spec)).toBe(32);
  });

  it('orders users outermost and repetitions innermost', () => {
    const cells = Array.from({ length: 32 }, (_, i) => cellAt(spec, i));
    expect(cells.slice(0, 5).map((c) => [c.user, c.model, c.policy, c.seed])).toEqual([
      ['a', 'm1', 'last-resort[distressThreshold=0.5]', 0],
      ['a', 'm1', 'last-resort[distressThreshold=0.5]', 1],
      ['a', 'm1', 'last-resort[distressThreshold=0.9]', 0],
      ['a', 'm1', 'last-resort[distressThreshold=0.9]', 1],
      ['a', 'm1', 'eager[distressThreshold=0.5]', 0],
    ]);
    expect(cells[31]).toMatchObject({ user: 'b', userKind: 'persona', class: 'benign', model: 'm2', basePolicy: 'eager', sweep: { distressThreshold: 0.9 }, seed: 1 });
    expect(cells[31]?.policyConfig).toMatchObject({ name: 'eager[distressThreshold=0.9]', minRedirects: 1, distressThreshold: 0.9 });
    expect(new Set(cells.map((c) => c.id)).size).toBe(32);
  });

  it('shares the random seed of a cell across policies and sweep points, never across users, models or repetitions', () => {
    const seeds = Array.from({ length: 32 }, (_, i) => commonRandomSeed(spec, cellAt(spec, i)));
    expect(new Set(seeds).size).toBe(2 * 2 * 2);
    expect(seeds[0]).toBe(seeds[2]);
    expect(seeds[0]).toBe(seeds[4]);
    expect(seeds[0]).not.toBe(seeds[1]);
  });

  it('splits into shards that partition the grid', () => {
    const shards = [1, 2, 3].map((i) => [...shardIndices(32, i, 3)]);
    expect(shards[0]?.slice(0, 4)).toEqual([0, 3, 6, 9]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it('names sweep variants after their values', () => {
    expect(policyVariantName('hybrid', {})).toBe('hybrid');
    expect(policyVariantName('hybrid', { minRedirects: 2, distressThreshold: 0.65 })).toBe('hybrid[minRedirects=2,distressThreshold=0.65]');
  });

  it('rejects an index outside the grid', () => {
    expect(() => cellAt(spec, 32)).toThrow('grid index 32 is outside 0..31');
  });
});
