/** How conversations ended, by scenario class and policy: share of each outcome with its 95% interval (clustered on users). */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, OUTCOME_COLOURS, OUTCOME_LABELS, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { armOrder, sweepLayout } from './sweep-layout.ts';
import type { SweepLayout } from './sweep-layout.ts';

const TOOLTIP = [
  { field: 'arm', title: 'policy' }, { field: 'class' }, { field: 'outcome' }, { field: 'count' }, { field: 'total' },
  { field: 'share', format: '.1%' }, { field: 'low', format: '.1%' }, { field: 'high', format: '.1%' },
];

/**
 * A large sweep: one small multiple per (class, value of the other swept fields), the colour field on x (sorted
 * numerically, titled with its name), one line per outcome with 95% whiskers. Bounded whatever the variant count.
 */
function sweepOutcomesChart(data: RunData, layout: SweepLayout): TopLevelSpec {
  const outcomeOrder = Object.values(OUTCOME_LABELS);
  const values = data.outcomes.map((cell) => {
    const placement = layout.placements.get(cell.arm);
    return { ...cell, outcome: OUTCOME_LABELS[cell.outcome] ?? cell.outcome, panel: placement?.panel ?? cell.arm, x: placement?.colourValue ?? null };
  });
  const color = { field: 'outcome', type: 'nominal' as const, title: 'outcome', sort: outcomeOrder, scale: { domain: outcomeOrder, range: OUTCOME_COLOURS } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'End outcomes by scenario class and policy',
      subtitle: [
        `Share of conversations with each outcome against ${layout.colourField}; one panel per scenario class (rows) and ${layout.panelTitle} (columns).`,
        'Whiskers: 95% intervals clustered on users.',
      ],
    },
    config: LARGE_CHART_CONFIG,
    data: { values },
    facet: {
      row: { field: 'class', type: 'nominal', title: null, header: { labelFontWeight: 'bold', labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'panel', type: 'nominal', title: layout.panelTitle, sort: [...layout.panels], header: { labelFontWeight: 'bold' } },
    },
    spacing: { row: 6, column: 8 },
    spec: {
      width: 120,
      height: 60,
      encoding: {
        x: { field: 'x', type: 'quantitative', title: layout.colourField, scale: { zero: false, nice: false } },
        color,
      },
      layer: [
        // an outcome never seen has a faint whisker: it says how rare it may be, not that it happened; the whiskers
        // carry the tooltips (one per point), so no point marks are drawn and the page stays small
        {
          mark: { type: 'rule' },
          encoding: {
            y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' },
            opacity: { condition: { test: 'datum.count > 0', value: 0.5 }, value: 0.12 },
            tooltip: TOOLTIP,
          },
        },
        { mark: { type: 'line' }, encoding: { y: { field: 'share', type: 'quantitative', title: 'share', scale: { domain: [0, 1] }, axis: { format: '%', tickCount: 3 } } } },
      ],
    },
  };
}

export function endOutcomesChart(data: RunData): TopLevelSpec | null {
  if (data.outcomes.length === 0) return null;
  const layout = sweepLayout(data);
  if (layout !== null) return sweepOutcomesChart(data, layout);
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
        y: { field: 'arm', type: 'nominal', title: null, sort: armOrder(data) },
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
            tooltip: TOOLTIP,
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
