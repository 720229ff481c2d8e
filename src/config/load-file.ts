/**
 * Loads one YAML file of a given kind: read, parse, validate with its zod schema, and check that its id matches
 * the file name. Every problem is collected; nothing is thrown here, so callers can gather problems across files.
 */
import type { z } from 'zod';
import type { InputProblem } from '../common/input-error.ts';
import { SCHEMAS, jsonSchemaFor, type FileKind, type JsonSchema } from './json-schemas.ts';
import { fileStem } from './file-kind.ts';
import { personaProblems, scenarioProblems } from './part-checks.ts';
import { readYaml } from './read-yaml.ts';
import { describeFound, zodProblems } from './zod-problems.ts';

/** Omit applied to each member of a union (model entries are a union on `kind`), keeping it a union. */
type DistributiveOmit<T, Key extends PropertyKey> = T extends unknown ? Omit<T, Key> : never;

/** What a file of each kind becomes once validated (defaults filled in, the editor-only `$schema` key dropped). */
export type Loaded<K extends FileKind> = DistributiveOmit<z.output<(typeof SCHEMAS)[K]>, '$schema'>;

/** A validated value, or every problem found (never both, never a throw). */
export type LoadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: InputProblem[] };

const jsonSchemas = new Map<FileKind, JsonSchema>();
function cachedJsonSchema(kind: FileKind): JsonSchema {
  let schema = jsonSchemas.get(kind);
  if (schema === undefined) {
    schema = jsonSchemaFor(kind);
    jsonSchemas.set(kind, schema);
  }
  return schema;
}

/** The field that names a part: policies have a `name`, other parts an `id`; experiments are free to differ. */
const ID_FIELD: Readonly<Record<FileKind, 'id' | 'name' | undefined>> = {
  experiment: undefined,
  policy: 'name',
  scenario: 'id',
  persona: 'id',
  model: 'id',
  'llm-user': 'id',
};

function idProblems(kind: FileKind, file: string, value: Record<string, unknown>): InputProblem[] {
  const field = ID_FIELD[kind];
  if (field === undefined || value[field] === fileStem(file)) return [];
  const message = `expected "${fileStem(file)}" (the file name), found ${describeFound(value[field])}`;
  return [{ file, path: field, message }];
}

function kindProblems(kind: FileKind, file: string, value: unknown): InputProblem[] {
  if (kind === 'persona') return personaProblems(file, value as Loaded<'persona'>);
  if (kind === 'scenario') return scenarioProblems(file, value as Loaded<'scenario'>);
  return [];
}

/**
 * Loads and validates one file of the given kind.
 *
 * @example
 * const result = loadFile('policy', 'experiments/policies/eager.yaml');
 * if (result.ok) console.log(result.value.minRedirects); // 1
 */
export function loadFile<K extends FileKind>(kind: K, file: string): LoadResult<Loaded<K>> {
  const read = readYaml(file);
  if (!read.ok) return read;
  const parsed = SCHEMAS[kind].safeParse(read.data);
  if (!parsed.success) {
    if (read.data === undefined) return { ok: false, problems: [{ file, path: '', message: 'expected a mapping, found an empty file' }] };
    return { ok: false, problems: zodProblems(file, parsed.error.issues, read.data, cachedJsonSchema(kind)) };
  }
  const { $schema: _editorOnly, ...value } = parsed.data as z.output<(typeof SCHEMAS)[K]> & { $schema?: string };
  const problems = [...idProblems(kind, file, value), ...kindProblems(kind, file, value)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: value as Loaded<K> };
}
