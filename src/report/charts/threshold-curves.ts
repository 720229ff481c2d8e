/**
 * Threshold curves for a sweep: appropriate-end rate, false-end rate and distress exposure against each swept
 * policy field (on x, titled with its name), one line per value of the other swept fields, coloured on a
 * sequential scale of that field (so fifty variants never repeat a colour), with 95% intervals.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ArmSummary, RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { surrogateChartNote } from '../surrogate-note.ts';
import { nominalScheme, SEQUENTIAL_SCHEME } from './sweep-layout.ts';

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
  /** The other swept field the line is coloured by (null when the sweep has one field: colour is the policy). */
  readonly colourField: string | null;
  readonly colourValue: number | null;
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
    const colourField = data.sweepFields.find((f) => f !== field) ?? null;
    for (const arm of data.armSummaries) {
      const x = arm.sweep[field];
      if (x === undefined) continue;
      const series = seriesName(arm, field, multipleModels);
      const colourValue = colourField === null ? null : arm.sweep[colourField] ?? null;
      const common = { field, x, series, colourField, colourValue };
      const rates = [arm.appropriateEndRate, arm.falseEndRate] as const;
      rates.forEach((rate, i) => {
        if (rate !== null) points.push({ ...common, metric: METRICS[i] as CurvePoint['metric'], y: rate.value, low: rate.low, high: rate.high });
      });
      const exposure = arm.distressExposure;
      points.push({ ...common, metric: 'distress exposure', y: exposure.mean, low: exposure.low, high: exposure.high });
    }
  }
  return points;
}

/** One block of panels per swept field: x is that field, rows are the metrics, colour is the other field. */
function fieldBlock(field: string, points: readonly CurvePoint[]) {
  const mine = points.filter((p) => p.field === field);
  const colourField = mine[0]?.colourField ?? null;
  const color = colourField === null
    ? { field: 'series', type: 'nominal' as const, title: 'policy', scale: { scheme: nominalScheme(new Set(mine.map((p) => p.series)).size) } }
    : { field: 'colourValue', type: 'quantitative' as const, title: colourField, scale: { scheme: SEQUENTIAL_SCHEME }, legend: { orient: 'bottom' as const, direction: 'horizontal' as const } };
  const values = mine.map((p) => p.x);
  return {
    transform: [{ filter: { field: 'field', equal: field } }],
    facet: { row: { field: 'metric', type: 'nominal' as const, title: null, sort: [...METRICS], header: { labelFontWeight: 'bold' } } },
    resolve: { scale: { y: 'independent' as const } },
    spec: {
      width: 240,
      height: 130,
      encoding: {
        x: { field: 'x', type: 'quantitative' as const, title: field, scale: { domain: [Math.min(...values), Math.max(...values)] } },
        color,
        detail: { field: 'series', type: 'nominal' as const },
      },
      layer: [
        { mark: { type: 'rule' as const, opacity: 0.45 }, encoding: { y: { field: 'low', type: 'quantitative' as const, title: null }, y2: { field: 'high' } } },
        {
          mark: { type: 'line' as const, point: { size: 20 } },
          encoding: {
            y: { field: 'y', type: 'quantitative' as const },
            tooltip: [
              { field: 'series', title: 'policy' },
              { field: 'field', title: 'swept field' },
              { field: 'x', title: field },
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

/** Null when the run has no sweep. */
export function thresholdCurvesChart(data: RunData): TopLevelSpec | null {
  const points = thresholdCurvePoints(data);
  if (points.length === 0) return null;
  const fields = data.sweepFields.filter((field) => points.some((p) => p.field === field));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Threshold curves',
      subtitle: [
        'Each metric (rows) against each swept policy field (x); one line per value of the other swept field, in its colour.',
        'Whiskers: 95% intervals, clustered on users (docs/statistics.md).',
        ...surrogateChartNote(data.manifest.raw, new Set(data.arms.map((a) => a.model)), ['appropriateEndRate', 'falseEndRate', 'distressExposure']),
      ],
    },
    config: points.length > 60 ? LARGE_CHART_CONFIG : CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    hconcat: fields.map((field) => fieldBlock(field, points)),
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
