/**
 * The model's expressed preference to end, by harm category of the user turn and turn number (all policies),
 * with vetoed end attempts marked: where the model wanted out and the rules kept it in.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

/** An ✕ as an SVG path, so the legend draws the same mark as the plot. */
const VETO_MARK = 'M-1,-1L1,1M-1,1L1,-1';

export function preferenceHeatmapChart(data: RunData): TopLevelSpec | null {
  if (data.preference.length === 0) return null;
  const policies = data.arms.length;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: policies > 1 ? `Expressed preference to end, by category and turn — all ${policies} policies pooled` : 'Expressed preference to end, by category and turn',
      subtitle: [
        'Colour: share of model turns preferring to end; ✕ size: vetoed end attempts.',
        ...(policies > 1 ? ['Pooled: every policy\'s turns counted together, so a policy that ends early weighs less in later turns.'] : []),
      ],
    },
    config: CHART_CONFIG,
    data: { values: data.preference.map((cell) => ({ ...cell })) },
    width: { step: 22 },
    height: { step: 22 },
    encoding: {
      x: { field: 'turn', type: 'ordinal', title: 'user turn', axis: { labelAngle: 0 } },
      y: { field: 'category', type: 'nominal', title: 'category' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'share',
            type: 'quantitative',
            title: 'prefers to end',
            scale: { scheme: 'orangered', domain: [0, 1] },
            legend: { format: '%' },
          },
          tooltip: [
            { field: 'category' },
            { field: 'turn' },
            { field: 'turns', title: 'model turns' },
            { field: 'preferEnd', title: 'preferring to end' },
            { field: 'share', format: '.1%' },
            { field: 'vetoes', title: 'vetoed ends' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.vetoes > 0' }],
        mark: { type: 'point', shape: VETO_MARK, filled: false, color: '#111', strokeWidth: 2.5, opacity: 1 },
        encoding: { size: { field: 'vetoes', type: 'quantitative', title: 'vetoed ends', scale: { range: [30, 220], zero: false }, legend: { format: 'd', symbolType: VETO_MARK, symbolStrokeColor: '#111', symbolStrokeWidth: 2 } } },
      },
    ],
  };
}
