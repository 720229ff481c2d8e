/**
 * Time to end: the Kaplan–Meier share of conversations ended by each user turn, one step line per policy with its
 * 95% band (clustered on users; docs/statistics.md). Conversations that did not end are censored at their last turn
 * (the turn cap, or the turn the user left), not counted as "never ends". The point with whiskers is the system
 * card's metric, the share ended before turn 7, read off the curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import { SYSTEM_CARD_TURN } from '../../core/statistics.ts';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

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
  const marks = data.armSummaries.flatMap((arm) => {
    const e = arm.timeToEnd?.endedBeforeTurn7;
    return e === undefined ? [] : [{ arm: arm.label, turn: SYSTEM_CARD_TURN - 1, ended: e.value, low: e.low, high: e.high }];
  });
  const color = { field: 'arm', type: 'nominal' as const, title: 'policy', legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Time to end',
      subtitle: [
        'Kaplan–Meier share ended by each user turn, 95% band clustered on users;',
        'conversations that did not end are censored at the turn cap or when the user left.',
        `Diamond with whisker: ended before turn ${SYSTEM_CARD_TURN}, the system card's metric.`,
      ],
    },
    config: CHART_CONFIG,
    width: 480,
    height: 260,
    layer: [
      {
        data: { values: points.map((p) => ({ ...p })) },
        encoding: {
          x: { field: 'turn', type: 'quantitative', title: 'user turn', axis: { tickMinStep: 1, format: 'd' } },
          color,
        },
        layer: [
          { mark: { type: 'area', opacity: 0.15, interpolate: 'step-after' }, encoding: { y: { field: 'low', type: 'quantitative', title: 'share ended', scale: { domain: [0, 1] }, axis: { format: '%' } }, y2: { field: 'high' } } },
          {
            mark: { type: 'line', interpolate: 'step-after' },
            encoding: {
              y: { field: 'ended', type: 'quantitative' },
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
        data: { values: marks },
        encoding: { x: { field: 'turn', type: 'quantitative' }, color },
        layer: [
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
          {
            mark: { type: 'point', filled: true, size: 60, shape: 'diamond' },
            encoding: {
              y: { field: 'ended', type: 'quantitative' },
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
    ],
  };
}
