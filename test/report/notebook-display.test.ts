/**
 * The notebook helper outside a kernel, and with a stand-in for Deno.jupyter that records what it is given
 * (the real kernel runs it in test/notebooks).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { showChart } from '../../src/report/notebook-display.ts';
import type { TopLevelSpec } from 'vega-lite';

const spec: TopLevelSpec = { data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
const host = globalThis as { Deno?: unknown };
afterEach(() => delete host.Deno);

describe('showChart', () => {
  it('says it needs the Deno kernel anywhere else', async () => {
    await expect(showChart(spec)).rejects.toThrow('showChart needs the Deno Jupyter kernel');
  });

  // Delivery after the cell's idle is handled by the notebook runner (scripts/ordered_execute.py), not by a yield here.
  it('displays the SVG and names a chart the run has no data for', async () => {
    const shown: Record<string, string>[] = [];
    host.Deno = { jupyter: { display: async (bundle: Record<string, string>) => void shown.push(bundle) } };
    await showChart(spec);
    await showChart(null, 'threshold curves');
    expect(shown[0]?.['image/svg+xml']).toMatch(/^<svg/);
    expect(shown[1]).toEqual({ 'text/plain': 'threshold curves: not applicable to this run' });
  });
});
