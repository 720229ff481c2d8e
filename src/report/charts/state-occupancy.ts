/** Where each policy's conversations spend their turns: engaged, redirecting, ended (blocked) or branched. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, STATE_COLOURS, STATE_ORDER, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { armOrder, panelColumns, sweepLayout } from './sweep-layout.ts';

export function stateOccupancyChart(data: RunData): TopLevelSpec | null {
  if (data.occupancy.every((cell) => cell.turns === 0)) return null;
  const layout = sweepLayout(data);
  const color = { field: 'state', type: 'nominal' as const, title: 'state', sort: STATE_ORDER, scale: { domain: STATE_ORDER, range: STATE_COLOURS } };
  if (layout !== null) {
    // a large sweep: one panel per value of the other swept fields, a bar per value of the colour field, in numeric order
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'State occupancy per policy', subtitle: `Share of all turns (user turns and blocked messages) spent in each statechart state; one panel per ${layout.panelTitle}` },
      config: LARGE_CHART_CONFIG,
      data: {
        values: data.occupancy.map((cell) => {
          const placement = layout.placements.get(cell.arm);
          return { ...cell, order: STATE_ORDER.indexOf(cell.state), panel: placement?.panel ?? cell.arm, value: placement?.colourValue ?? null };
        }),
      },
      facet: { field: 'panel', type: 'nominal', title: layout.panelTitle, sort: [...layout.panels], header: { labelFontWeight: 'bold' } },
      columns: panelColumns(layout.panels.length),
      spec: {
        width: 160,
        height: { step: 14 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'value', type: 'ordinal', title: layout.colourField, sort: 'ascending' },
          x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of turns', axis: { format: '%', tickCount: 3 } },
          color,
          order: { field: 'order', type: 'quantitative' },
          tooltip: [{ field: 'arm', title: 'policy' }, { field: 'state' }, { field: 'turns' }, { field: 'share', format: '.1%' }],
        },
      },
    };
  }
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
      y: { field: 'arm', type: 'nominal', title: null, sort: armOrder(data) },
      x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of turns', axis: { format: '%' } },
      color,
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'arm', title: 'policy' }, { field: 'state' }, { field: 'turns' }, { field: 'share', format: '.1%' }],
    },
  };
}
