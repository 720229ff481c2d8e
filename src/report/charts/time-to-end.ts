/**
 * Time to end: the Kaplan–Meier share of conversations ended by each user turn, one step line per policy with its
 * 95% band (clustered on users; docs/statistics.md). Conversations that did not end are censored at their last turn
 * (the turn cap, or the turn the user left), not counted as "never ends". The point with whiskers is the system
 * card's metric, the share ended before turn 7, read off the curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import { SYSTEM_CARD_TURN } from '../../core/statistics.ts';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { armOrder, identicalSeries, nominalScheme, panelColumns, SEQUENTIAL_SCHEME, sweepLayout } from './sweep-layout.ts';

export interface TimeToEndPoint {
  readonly arm: string;
  readonly turn: number;
  /** Share ended by the end of this turn, 1 − S(turn). */
  readonly ended: number;
  readonly low: number;
  readonly high: number;
  readonly atRisk: number;
}

export function timeToEndPoints(data: RunData): TimeToEndPoint[] {
  return data.armSummaries.flatMap((arm) => {
    const curve = arm.timeToEnd?.curve ?? [];
    if (curve.length === 0) return [];
    const start: TimeToEndPoint = { arm: arm.label, turn: 0, ended: 0, low: 0, high: 0, atRisk: arm.timeToEnd?.conversations ?? 0 };
    return [start, ...curve.map((p) => ({ arm: arm.label, turn: p.turn, ended: 1 - p.survival, low: 1 - p.high, high: 1 - p.low, atRisk: p.atRisk }))];
  });
}

/** Null when no arm has a completed conversation. */
export function timeToEndChart(data: RunData): TopLevelSpec | null {
  const points = timeToEndPoints(data);
  if (points.length === 0) return null;
  const layout = sweepLayout(data);
  const order = armOrder(data);
  // identical curves (e.g. two policies that never end) are named "(= X)" and dashed, so neither hides the other
  const signatures = new Map<string, string>();
  for (const p of points) signatures.set(p.arm, `${signatures.get(p.arm) ?? ''}|${p.turn}:${p.ended}:${p.atRisk}`);
  const same = layout === null ? identicalSeries(signatures, order) : new Map<string, string>();
  const series = (arm: string): string => (same.has(arm) ? `${arm} (= ${same.get(arm)})` : arm);
  const place = (arm: string) => {
    const placement = layout?.placements.get(arm);
    return { series: series(arm), dashed: same.has(arm), panel: placement?.panel ?? '', colourValue: placement?.colourValue ?? null };
  };
  const marks = data.armSummaries.flatMap((arm) => {
    const e = arm.timeToEnd?.endedBeforeTurn7;
    return e === undefined ? [] : [{ arm: arm.label, ...place(arm.label), turn: SYSTEM_CARD_TURN - 1, ended: e.value, low: e.low, high: e.high }];
  });
  const color = layout === null
    ? { field: 'series', type: 'nominal' as const, title: 'policy', sort: order.map(series), scale: { scheme: nominalScheme(order.length) }, legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } }
    : { field: 'colourValue', type: 'quantitative' as const, title: layout.colourField, scale: { scheme: SEQUENTIAL_SCHEME } };
  const detail = { field: 'arm', type: 'nominal' as const };
  const strokeDash = { condition: { test: 'datum.dashed', value: [6, 4] }, value: [1, 0] };
  const layers = [
    {
      data: { name: 'curves' },
      encoding: {
        x: { field: 'turn', type: 'quantitative' as const, title: 'user turn', axis: { tickMinStep: 1, format: 'd' } },
        color,
        detail,
      },
      layer: [
        { mark: { type: 'area' as const, opacity: layout === null ? 0.15 : 0.05, interpolate: 'step-after' as const }, encoding: { y: { field: 'low', type: 'quantitative' as const, title: 'share ended', scale: { domain: [0, 1] }, axis: { format: '%' } }, y2: { field: 'high' } } },
        {
          mark: { type: 'line' as const, interpolate: 'step-after' as const },
          encoding: {
            y: { field: 'ended', type: 'quantitative' as const },
            strokeDash,
            tooltip: [
              { field: 'arm', title: 'policy' },
              { field: 'turn' },
              { field: 'ended', title: 'share ended', format: '.1%' },
              { field: 'low', format: '.1%' },
              { field: 'high', format: '.1%' },
              { field: 'atRisk', title: 'still observed' },
            ],
          },
        },
      ],
    },
    {
      data: { name: 'marks' },
      encoding: { x: { field: 'turn', type: 'quantitative' as const }, color, detail },
      layer: [
        { mark: { type: 'rule' as const, strokeWidth: 2 }, encoding: { y: { field: 'low', type: 'quantitative' as const }, y2: { field: 'high' } } },
        {
          mark: { type: 'point' as const, filled: true, size: layout === null ? 60 : 25, shape: 'diamond' },
          encoding: {
            y: { field: 'ended', type: 'quantitative' as const },
            tooltip: [
              { field: 'arm', title: 'policy' },
              { field: 'ended', title: `ended before turn ${SYSTEM_CARD_TURN}`, format: '.1%' },
              { field: 'low', format: '.1%' },
              { field: 'high', format: '.1%' },
            ],
          },
        },
      ],
    },
  ];
  // named once, referenced by every panel's layers (inline values would be repeated in each panel)
  const datasets = { curves: points.map((p) => ({ ...p, ...place(p.arm) })), marks };
  const title = {
    text: 'Time to end',
    subtitle: [
      'Kaplan–Meier share ended by each user turn, 95% band clustered on users;',
      'conversations that did not end are censored at the turn cap or when the user left.',
      `Diamond with whisker: ended before turn ${SYSTEM_CARD_TURN}, the system card's metric.`,
      ...(layout !== null ? [`One panel per ${layout.panelTitle}.`] : same.size > 0 ? ['A dashed "(= X)" curve is identical to policy X.'] : []),
    ],
  };
  if (layout === null) return { $schema: VEGA_LITE_SCHEMA, title, config: CHART_CONFIG, datasets, width: 480, height: 260, layer: layers } as TopLevelSpec;
  // a large sweep: the same layers, one small multiple per value of the other swept fields
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    config: LARGE_CHART_CONFIG,
    datasets,
    columns: panelColumns(layout.panels.length),
    concat: layout.panels.map((panel) => ({
      title: { text: panel, anchor: 'middle' as const, fontSize: 12 },
      width: 170,
      height: 130,
      layer: layers.map((layer) => ({ ...layer, transform: [{ filter: { field: 'panel', equal: panel } }] })),
    })),
  } as TopLevelSpec;
}
