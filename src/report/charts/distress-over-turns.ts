/** Apparent distress over the turns of a conversation, one line per policy with its 95% band, one panel per class. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

export function distressOverTurnsChart(data: RunData): TopLevelSpec | null {
  if (data.distressByTurn.length === 0) return null;
  const columns = Math.min(3, data.classes.length);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Apparent distress over turns',
      subtitle: 'Mean over conversations (first chat, original branch) with 95% band; one panel per scenario class',
    },
    config: CHART_CONFIG,
    data: { values: data.distressByTurn.map((p) => ({ ...p })) },
    facet: { field: 'class', type: 'nominal', title: null, header: { labelFontWeight: 'bold' } },
    columns,
    spec: {
      width: 220,
      height: 140,
      encoding: {
        x: { field: 'turn', type: 'quantitative', title: 'user turn', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'arm', type: 'nominal', title: 'policy', legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } },
      },
      // policies often share their first turns (same users, same model noise), so their lines overlap there
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          // The band inherits the policy colour; a `legend: null` here would hide the shared legend altogether.
          encoding: {
            y: { field: 'low', type: 'quantitative', title: 'distress (0–1)', scale: { domain: [0, 1] } },
            y2: { field: 'high' },
          },
        },
        {
          mark: { type: 'line', point: { size: 18 } },
          encoding: {
            y: { field: 'mean', type: 'quantitative' },
            tooltip: [
              { field: 'arm', title: 'policy' },
              { field: 'turn' },
              { field: 'mean', format: '.3f' },
              { field: 'low', format: '.3f' },
              { field: 'high', format: '.3f' },
              { field: 'n', title: 'conversations' },
            ],
          },
        },
      ],
    },
  };
}
