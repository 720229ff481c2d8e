/**
 * A calibrated profile's error on held-out users, as it travels in the profile's `provenance.heldOut` (written by
 * `welfare-sim calibrate`, read by the run's report): per held-out metric, over the (class, policy) cells of the
 * held-out users, the mean absolute predicted-minus-observed difference, its largest value, a band, and the
 * verdicts. Pure: the calibration computes it from its held-out rows, the report reads it from the manifest.
 */
import { z } from 'zod';

export const HELD_OUT_METRICS = ['endRate', 'timeToEnd', 'vetoedAttempts', 'preferEndShare'] as const;
export type HeldOutMetric = (typeof HELD_OUT_METRICS)[number];

/** What the error of one metric rests on: the cells compared, and how far predicted was from observed. */
const cellErrorSchema = z.strictObject({
  /** Cells where both predicted and observed have a value: the ones the error is averaged over. */
  cells: z.int().min(0),
  consistent: z.int().min(0),
  off: z.int().min(0),
  /** Mean |predicted − observed| over the cells; null without cells. */
  meanAbsError: z.number().min(0).nullable(),
  maxAbsError: z.number().min(0).nullable(),
  /** The mean of each cell's lower and upper 95% bound on |predicted − observed|. */
  band: z.tuple([z.number().min(0), z.number().min(0)]).nullable(),
});
export type CellError = z.output<typeof cellErrorSchema>;

const metricErrorSchema = cellErrorSchema.extend({ byClass: z.record(z.string(), cellErrorSchema) });
export type MetricError = z.output<typeof metricErrorSchema>;

export const heldOutSchema = z.strictObject({
  users: z.array(z.string()),
  /** The policies the held-out users were predicted under: the source runs' own, not a later experiment's. */
  policies: z.array(z.string()),
  adequate: z.boolean(),
  misfit: z.array(z.string()),
  error: z.strictObject(Object.fromEntries(HELD_OUT_METRICS.map((m) => [m, metricErrorSchema])) as Record<HeldOutMetric, typeof metricErrorSchema>),
});
export type HeldOut = z.output<typeof heldOutSchema>;

/** One held-out comparison, as calibration.json holds it (src/calibrate/holdout.ts). */
export interface ComparedCell {
  readonly cls: string;
  readonly policy: string;
  readonly metric: HeldOutMetric;
  readonly observed: { readonly value: number | null; readonly low: number | null; readonly high: number | null };
  readonly predicted: { readonly value: number | null; readonly low: number | null; readonly high: number | null };
  readonly verdict: 'consistent' | 'off' | 'no data';
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const halfWidth = (f: ComparedCell['observed']): number => (f.low === null || f.high === null ? 0 : (f.high - f.low) / 2);

/**
 * The error over some cells. Each cell's |d| = |predicted − observed| gets a 95% bound from the two independent
 * intervals (half-widths added in quadrature, as for a difference of independent estimates): [|d| − h, |d| + h],
 * floored at 0. The band is the mean of those bounds: a plain, conservative spread, not a joint interval.
 */
export function cellError(rows: readonly ComparedCell[]): CellError {
  const measured = rows.filter((r) => r.observed.value !== null && r.predicted.value !== null);
  const consistent = rows.filter((r) => r.verdict === 'consistent').length;
  const off = rows.filter((r) => r.verdict === 'off').length;
  if (measured.length === 0) return { cells: 0, consistent, off, meanAbsError: null, maxAbsError: null, band: null };
  const errors = measured.map((r) => Math.abs((r.predicted.value as number) - (r.observed.value as number)));
  const halves = measured.map((r) => Math.hypot(halfWidth(r.observed), halfWidth(r.predicted)));
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    cells: measured.length,
    consistent,
    off,
    meanAbsError: r4(mean(errors)),
    maxAbsError: r4(Math.max(...errors)),
    band: [r4(mean(errors.map((e, i) => Math.max(0, e - (halves[i] as number))))), r4(mean(errors.map((e, i) => e + (halves[i] as number))))],
  };
}

/** The held-out error of every metric, overall and per class, from the calibration's held-out rows. */
export function heldOutError(rows: readonly ComparedCell[]): HeldOut['error'] {
  const of = (metric: HeldOutMetric): MetricError => {
    const own = rows.filter((r) => r.metric === metric);
    const classes = [...new Set(own.map((r) => r.cls))].sort();
    return { ...cellError(own), byClass: Object.fromEntries(classes.map((c) => [c, cellError(own.filter((r) => r.cls === c))])) };
  };
  return Object.fromEntries(HELD_OUT_METRICS.map((m) => [m, of(m)])) as HeldOut['error'];
}

/**
 * The error of a metric over a group of classes (say the end-eligible ones), pooled from the per-class errors by
 * their cell counts; null when no held-out user was of any of them. The pooled maximum is the largest of theirs.
 */
export function pooledError(metric: MetricError, classes: readonly string[]): CellError | null {
  const parts = classes.map((c) => metric.byClass[c]).filter((e): e is CellError => e !== undefined);
  if (parts.length === 0) return null;
  const cells = parts.reduce((n, p) => n + p.cells, 0);
  const sum = (pick: (p: CellError) => number): number => parts.reduce((s, p) => s + (p.cells === 0 ? 0 : p.cells * pick(p)), 0);
  return {
    cells,
    consistent: parts.reduce((n, p) => n + p.consistent, 0),
    off: parts.reduce((n, p) => n + p.off, 0),
    meanAbsError: cells === 0 ? null : r4(sum((p) => p.meanAbsError ?? 0) / cells),
    maxAbsError: cells === 0 ? null : Math.max(...parts.map((p) => p.maxAbsError ?? 0)),
    band: cells === 0 ? null : [r4(sum((p) => p.band?.[0] ?? 0) / cells), r4(sum((p) => p.band?.[1] ?? 0) / cells)],
  };
}
