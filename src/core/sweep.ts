/**
 * Sweep expansion: the policy values an experiment's `sweep` asks for, as an ordered list of points.
 * Pure, so the runner's grid order (and therefore every run's canonical order) depends on the file alone.
 */
import type { z } from 'zod';
import type { Experiment, sweepAxisSchema } from './experiment.ts';
import type { SweepableField } from './policy.ts';

export type SweepAxis = z.output<typeof sweepAxisSchema>;
/** One point of a sweep: a value for each swept policy field. `{}` when nothing is swept. */
export type SweepPoint = Readonly<Partial<Record<SweepableField, number>>>;

/** Rounds away float drift (0.1 + 0.2) so 0.7000000000000001 is written, compared and hashed as 0.7. */
function roundStep(value: number): number {
  return Number(value.toFixed(10));
}

/**
 * The values of one axis, in order: a list as written, or an inclusive range from, from+step, … up to `to`.
 * A range whose `from` is above its `to` has no values.
 *
 * @example axisValues({ from: 0.5, to: 0.6, step: 0.05 }) // [0.5, 0.55, 0.6]
 */
export function axisValues(axis: SweepAxis): number[] {
  if (Array.isArray(axis)) return [...axis];
  if (axis.from > axis.to || !(axis.step > 0)) return [];
  // The tolerance keeps `to` in the range when (to - from) / step lands a hair below a whole number.
  const count = Math.floor(roundStep((axis.to - axis.from) / axis.step)) + 1;
  return Array.from({ length: count }, (_, i) => roundStep(axis.from + i * axis.step));
}

/**
 * Every point of the sweep: the cartesian product of the axes, axes in the order the file lists them, the last axis
 * varying fastest, values in order. Without a sweep: `[{}]` (one point, the policies as written). An axis with no
 * values gives no points at all (the loader reports that as an empty grid).
 *
 * @example expandSweep({ minRedirects: [1, 2], distressThreshold: [0.5, 0.9] })
 * // [{minRedirects: 1, distressThreshold: 0.5}, {minRedirects: 1, distressThreshold: 0.9}, {minRedirects: 2, ...}, ...]
 */
export function expandSweep(sweep: Experiment['sweep']): SweepPoint[] {
  let points: SweepPoint[] = [{}];
  for (const [field, axis] of Object.entries(sweep) as [SweepableField, SweepAxis | undefined][]) {
    if (axis === undefined) continue;
    const values = axisValues(axis);
    points = points.flatMap((point) => values.map((value) => ({ ...point, [field]: value })));
  }
  return points;
}
