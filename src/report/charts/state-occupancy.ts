/** Where each policy's conversations spend their turns: engaged, redirecting, ended (blocked) or branched. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, STATE_COLOURS, STATE_ORDER, VEGA_LITE_SCHEMA } from './chart-style.ts';

export function stateOccupancyChart(data: RunData): TopLevelSpec | null {
  if (data.occupancy.every((cell) => cell.turns === 0)) return null;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'State occupancy per policy',
      subtitle: 'Share of all turns (user turns and blocked messages) spent in each statechart state',
    },
    config: CHART_CONFIG,
    data: { values: data.occupancy.map((cell) => ({ ...cell, order: STATE_ORDER.indexOf(cell.state) })) },
    width: 480,
    height: { step: 26 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'arm', type: 'nominal', title: null },
      x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of turns', axis: { format: '%' } },
      color: { field: 'state', type: 'nominal', title: 'state', sort: STATE_ORDER, scale: { domain: STATE_ORDER, range: STATE_COLOURS } },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'arm', title: 'policy' }, { field: 'state' }, { field: 'turns' }, { field: 'share', format: '.1%' }],
    },
  };
}
