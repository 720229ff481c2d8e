/**
 * Threshold curves for a sweep: appropriate-end rate, false-end rate and distress exposure against each swept
 * policy field, one line per base policy (and per value of the other swept fields), with 95% intervals.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ArmSummary, RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

const METRICS = ['appropriate-end rate', 'false-end rate', 'distress exposure'] as const;

interface CurvePoint {
  readonly field: string;
  readonly x: number;
  readonly series: string;
  readonly metric: (typeof METRICS)[number];
  readonly y: number;
  /** Null when the interval is not estimable (one user): no whisker is drawn. */
  readonly low: number | null;
  readonly high: number | null;
}

function seriesName(arm: ArmSummary, field: string, multipleModels: boolean): string {
  const others = Object.entries(arm.sweep)
    .filter(([name]) => name !== field)
    .map(([name, value]) => `${name}=${value}`);
  return [arm.basePolicy, ...others, ...(multipleModels ? [arm.model] : [])].join(' ');
}

export function thresholdCurvePoints(data: RunData): CurvePoint[] {
  const multipleModels = new Set(data.arms.map((arm) => arm.model)).size > 1;
  const points: CurvePoint[] = [];
  for (const field of data.sweepFields) {
    for (const arm of data.armSummaries) {
      const x = arm.sweep[field];
      if (x === undefined) continue;
      const series = seriesName(arm, field, multipleModels);
      const rates = [arm.appropriateEndRate, arm.falseEndRate] as const;
      rates.forEach((rate, i) => {
        if (rate !== null) points.push({ field, x, series, metric: METRICS[i] as CurvePoint['metric'], y: rate.value, low: rate.low, high: rate.high });
      });
      const exposure = arm.distressExposure;
      points.push({ field, x, series, metric: 'distress exposure', y: exposure.mean, low: exposure.low, high: exposure.high });
    }
  }
  return points;
}

/** Null when the run has no sweep. */
export function thresholdCurvesChart(data: RunData): TopLevelSpec | null {
  const points = thresholdCurvePoints(data);
  if (points.length === 0) return null;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Threshold curves',
      subtitle: 'Each metric against each swept policy field; whiskers are 95% intervals (clustered on users: docs/statistics.md)',
    },
    config: CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    facet: {
      row: { field: 'metric', type: 'nominal', title: null, sort: [...METRICS], header: { labelFontWeight: 'bold' } },
      column: { field: 'field', type: 'nominal', title: 'swept field', header: { labelFontWeight: 'bold' } },
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    spec: {
      width: 240,
      height: 130,
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'value', scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: 'policy' },
      },
      layer: [
        { mark: { type: 'rule' }, encoding: { y: { field: 'low', type: 'quantitative', title: null }, y2: { field: 'high' } } },
        {
          mark: { type: 'line', point: true },
          encoding: {
            y: { field: 'y', type: 'quantitative' },
            tooltip: [
              { field: 'series', title: 'policy' },
              { field: 'field', title: 'swept field' },
              { field: 'x', title: 'value' },
              { field: 'metric' },
              { field: 'y', format: '.3f' },
              { field: 'low', format: '.3f' },
              { field: 'high', format: '.3f' },
            ],
          },
        },
      ],
    },
  };
}
