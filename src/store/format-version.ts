/**
 * The run directory's format version: manifest.json's `formatVersion`, metrics.json's `version` and every
 * record's `v`. A run of another version is refused in one line before anything of it is used.
 *
 * Format 1 is the only format welfare-sim has written (`git log -S formatVersion`: it came with the first runner
 * and never changed), so there is nothing to migrate yet. When the format changes, the version goes up, and an
 * upgrade of the previous format (a `migrate` command) comes with the change.
 */
import { InputError } from '../common/input-error.ts';
import { describeFound } from '../config/zod-problems.ts';
import { RECORD_FORMAT_VERSION } from '../core/records.ts';

export const FORMAT_VERSION = RECORD_FORMAT_VERSION;

/** Throws one InputError (`file: path: expected 1, found 2; ...`) unless `found` is this welfare-sim's format. */
export function checkFormatVersion(found: unknown, file: string, path: string): void {
  if (found === FORMAT_VERSION) return;
  throw InputError.one(file, path, `expected ${FORMAT_VERSION}, found ${describeFound(found)}${advice(found)}`);
}

function advice(found: unknown): string {
  if (typeof found === 'number' && Number.isInteger(found) && found > FORMAT_VERSION) {
    return `; written by a newer welfare-sim (run format ${found}): read it with that version, or run the experiment again with this one`;
  }
  return `; not a run format welfare-sim has written (format ${FORMAT_VERSION} is the only one so far)`;
}
