/**
 * A calibrated profile's claim about its own error is checked before anything runs: `provenance.heldOut` must have
 * the shape the report reads, and `provenance.calibrationReport` must name the calibration.json it came from, whose
 * held-out rows give the same error. A report that states an error its calibration never measured is worse than none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { heldOutError, heldOutSchema, type ComparedCell } from '../core/calibration-error.ts';
import type { ModelEntry } from '../core/model-profile.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import type { InputProblem } from '../common/input-error.ts';

function heldOutRows(file: string): ComparedCell[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `expected a calibration.json written by welfare-sim calibrate at ${file}, found ${error instanceof Error ? error.message : String(error)}`;
  }
  const rows = (parsed as { holdout?: unknown } | null)?.holdout;
  if (!Array.isArray(rows)) return `expected a calibration.json written by welfare-sim calibrate at ${file}, found no "holdout" list`;
  return rows as ComparedCell[];
}

/** Problems with a simulated profile's calibration provenance; none for a profile without one. */
export function calibrationProblems(file: string, model: ModelEntry): InputProblem[] {
  if (model.kind !== 'simulated' || model.provenance === undefined) return [];
  const { heldOut, calibrationReport } = model.provenance;
  const problems: InputProblem[] = [];
  const parsed = heldOut === undefined ? undefined : heldOutSchema.safeParse(heldOut);
  if (parsed !== undefined && !parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['provenance', 'heldOut', ...(issue?.path ?? [])].join('.');
    problems.push({ file, path, message: `expected the held-out error as welfare-sim calibrate writes it, found ${issue?.message ?? 'another shape'}` });
  }
  if (calibrationReport === undefined) return problems;
  if (typeof calibrationReport !== 'string') {
    return [...problems, { file, path: 'provenance.calibrationReport', message: `expected the path of calibration.json (relative to the profile), found ${JSON.stringify(calibrationReport)}` }];
  }
  const report = resolve(dirname(file), calibrationReport);
  if (!existsSync(report)) {
    const message = `expected the calibration report the profile was fitted with at ${report}, found no file (rerun welfare-sim calibrate, or keep NAME.calibration/ beside the profile)`;
    return [...problems, { file, path: 'provenance.calibrationReport', message }];
  }
  const rows = heldOutRows(report);
  if (typeof rows === 'string') return [...problems, { file, path: 'provenance.calibrationReport', message: rows }];
  if (parsed === undefined || !parsed.success) {
    if (rows.length > 0 && parsed === undefined) {
      problems.push({ file, path: 'provenance.heldOut', message: `expected the held-out error of ${report} (${rows.length} held-out figures), found none` });
    }
    return problems;
  }
  if (canonicalJson(parsed.data.error) !== canonicalJson(heldOutError(rows))) {
    problems.push({ file, path: 'provenance.heldOut.error', message: `expected the held-out error computed from ${report}, found different figures (the profile or its report was edited; rerun welfare-sim calibrate)` });
  }
  return problems;
}
