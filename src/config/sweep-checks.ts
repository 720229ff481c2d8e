/**
 * Checks on an experiment's sweep: every axis has values, and every value is one the policy field accepts
 * (a sweep of minRedirects over 1.5 would otherwise fail only deep inside a run).
 */
import type { Experiment } from '../core/experiment.ts';
import { policySchema, type SweepableField } from '../core/policy.ts';
import { axisValues, type SweepAxis } from '../core/sweep.ts';
import type { InputProblem } from '../common/input-error.ts';
import { jsonSchemaFor } from './json-schemas.ts';
import { describeNumber, numberBoundsAt } from './schema-walk.ts';

function accepts(field: SweepableField, value: number): boolean {
  return policySchema.shape[field].safeParse(value).success;
}

function expectedValue(field: SweepableField): string {
  const bounds = numberBoundsAt(jsonSchemaFor('policy'), [field]);
  return bounds ? describeNumber(bounds) : `a valid ${field}`;
}

function axisProblems(file: string, field: SweepableField, axis: SweepAxis): InputProblem[] {
  const path = `sweep.${field}`;
  if (Array.isArray(axis)) {
    return axis.flatMap((value, index) =>
      accepts(field, value) ? [] : [{ file, path: `${path}.${index}`, message: `expected ${expectedValue(field)}, found ${value}` }],
    );
  }
  const values = axisValues(axis);
  if (values.length === 0) {
    return [{ file, path, message: `expected a range with from <= to, found from ${axis.from} to ${axis.to} (no values)` }];
  }
  const bad = values.find((value) => !accepts(field, value));
  if (bad === undefined) return [];
  return [{ file, path, message: `expected every value of the range to be ${expectedValue(field)}, found ${bad}` }];
}

/** Problems with the sweep of an experiment file: empty axes and values the policy field rejects. */
export function sweepProblems(file: string, sweep: Experiment['sweep']): InputProblem[] {
  return (Object.entries(sweep) as [SweepableField, SweepAxis | undefined][]).flatMap(([field, axis]) =>
    axis === undefined ? [] : axisProblems(file, field, axis),
  );
}
