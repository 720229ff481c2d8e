/** How conversations ended, by scenario class and policy: share of each outcome with its 95% interval (clustered on users). */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, OUTCOME_COLOURS, OUTCOME_LABELS, VEGA_LITE_SCHEMA } from './chart-style.ts';

export function endOutcomesChart(data: RunData): TopLevelSpec | null {
  if (data.outcomes.length === 0) return null;
  const outcomeOrder = Object.values(OUTCOME_LABELS);
  const values = data.outcomes.map((cell) => ({ ...cell, outcome: OUTCOME_LABELS[cell.outcome] ?? cell.outcome }));
  const barHeight = Math.max(40, data.arms.length * 4 * 7);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'End outcomes by scenario class and policy',
      subtitle: 'Share of conversations with each outcome; whiskers are 95% intervals clustered on users (light grey: outcome not observed)',
    },
    config: CHART_CONFIG,
    data: { values },
    facet: { field: 'class', type: 'nominal', title: null, header: { labelFontWeight: 'bold' } },
    columns: Math.min(3, data.classes.length),
    spec: {
      width: 220,
      height: barHeight,
      encoding: {
        y: { field: 'arm', type: 'nominal', title: null },
        yOffset: { field: 'outcome', type: 'nominal', sort: outcomeOrder },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            color: {
              field: 'outcome',
              type: 'nominal',
              title: 'outcome',
              sort: outcomeOrder,
              scale: { domain: outcomeOrder, range: OUTCOME_COLOURS },
            },
            x: { field: 'share', type: 'quantitative', title: 'share of conversations', scale: { domain: [0, 1] }, axis: { format: '%' } },
            tooltip: [
              { field: 'arm', title: 'policy' },
              { field: 'class' },
              { field: 'outcome' },
              { field: 'count' },
              { field: 'total' },
              { field: 'share', format: '.1%' },
              { field: 'low', format: '.1%' },
              { field: 'high', format: '.1%' },
            ],
          },
        },
        {
          // the interval of an outcome never seen is drawn light: it says how rare it may be, not that it happened
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'low', type: 'quantitative' },
            x2: { field: 'high' },
            color: { condition: { test: 'datum.count > 0', value: '#222' }, value: '#c8c8c8' },
          },
        },
      ],
    },
  };
}
