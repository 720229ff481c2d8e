/**
 * The trade-off policy authors choose on: false-end rate (cost to users) against mean distress exposure (cost to
 * the model), one labelled point per policy, the non-dominated ones joined as the Pareto frontier.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

export interface ParetoPoint {
  readonly arm: string;
  readonly falseEnd: number;
  readonly falseEndLow: number;
  readonly falseEndHigh: number;
  readonly exposure: number;
  readonly exposureLow: number;
  readonly exposureHigh: number;
  readonly frontier: boolean;
}

/** One point per arm that has must-not-end conversations; `frontier` marks those no other point dominates. */
export function paretoPoints(data: RunData): ParetoPoint[] {
  const points = data.armSummaries.flatMap((arm) =>
    arm.falseEndRate === null
      ? []
      : [{ arm: arm.label, falseEnd: arm.falseEndRate.value, falseEndLow: arm.falseEndRate.low, falseEndHigh: arm.falseEndRate.high,
           exposure: arm.distressExposure.mean, exposureLow: arm.distressExposure.low, exposureHigh: arm.distressExposure.high }],
  );
  const dominated = (p: (typeof points)[number]): boolean =>
    points.some((q) => q.falseEnd <= p.falseEnd && q.exposure <= p.exposure && (q.falseEnd < p.falseEnd || q.exposure < p.exposure));
  return points.map((p) => ({ ...p, frontier: !dominated(p) }));
}

export function paretoFrontierChart(data: RunData): TopLevelSpec | null {
  const points = paretoPoints(data);
  if (points.length === 0) return null;
  const x = { field: 'falseEnd', type: 'quantitative' as const, title: 'false-end rate (must-not-end classes)', axis: { format: '.0%', tickCount: 6 } };
  // at least 0–5%, so a run without false ends still has a readable axis (set on one layer: layers share it)
  const xWithScale = { ...x, scale: { domain: { unionWith: [0, 0.05] } } };
  const y = { field: 'exposure', type: 'quantitative', title: 'mean distress exposure per conversation' } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Pareto frontier: false ends against distress exposure',
      subtitle: 'Lower-left is better for both; the line joins policies no other policy beats on both axes',
    },
    config: CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    width: 480,
    height: 300,
    layer: [
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x: { ...x, sort: null }, y, order: { field: 'falseEnd', type: 'quantitative' } },
      },
      { mark: { type: 'rule', color: '#aaa' }, encoding: { x: { field: 'falseEndLow', type: 'quantitative' }, x2: { field: 'falseEndHigh' }, y } },
      { mark: { type: 'rule', color: '#aaa' }, encoding: { x, y: { field: 'exposureLow', type: 'quantitative' }, y2: { field: 'exposureHigh' } } },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: xWithScale,
          y,
          color: { field: 'frontier', type: 'nominal', title: 'on the frontier', scale: { domain: [true, false], range: ['#d62728', '#1f77b4'] } },
          tooltip: [
            { field: 'arm', title: 'policy' },
            { field: 'falseEnd', format: '.1%', title: 'false-end rate' },
            { field: 'falseEndLow', format: '.1%' },
            { field: 'falseEndHigh', format: '.1%' },
            { field: 'exposure', format: '.2f', title: 'distress exposure' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: 'arm' } } },
    ],
  };
}
