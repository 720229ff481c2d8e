/**
 * A zod schema as the record check of a LineCursor: the format version first (one clear line for a run of another
 * version), then the whole record. A record that fails is one InputError line: file, line number, field path,
 * what was expected and what was found. A record that passes is returned as it was read, not as zod rebuilds it,
 * so that what is copied on (merge, resume) keeps every byte.
 */
import { z } from 'zod';
import { InputError } from '../../common/input-error.ts';
import type { JsonSchema } from '../../config/json-schemas.ts';
import { zodProblems } from '../../config/zod-problems.ts';
import { checkFormatVersion } from '../format-version.ts';
import type { RecordCheck } from '../line-cursor.ts';
import { quickTest } from './quick-test.ts';

/** `versionField`: the field that holds the format version (`v` in records, `version` in metrics.json), if any. */
export function schemaCheck<T>(schema: z.ZodType<T>, versionField: string | null): RecordCheck<T> {
  let root: JsonSchema | undefined;
  const valid = quickTest(schema);
  return (value, path, line) => {
    if (valid?.(value) === true) return value as T;
    const where = line === 0 ? '' : `line ${line}: `;
    if (versionField !== null) checkFormatVersion((value as Record<string, unknown>)[versionField], path, `${where}${versionField}`);
    const result = schema.safeParse(value);
    if (result.success) return value as T;
    // The JSON Schema only names the known fields in a message: made once, on the first bad record.
    root ??= z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
    const first = zodProblems(path, result.error.issues, value, root)[0];
    const field = first?.path ?? '';
    throw InputError.one(path, `${where}${field}`.replace(/: $/, ''), first?.message ?? 'expected a record of the run format');
  };
}
