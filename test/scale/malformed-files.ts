/**
 * fast-check arbitraries for malformed input files. A case starts from a valid shipped file of one kind and breaks
 * it one way: a field given a value of the wrong type or out of range, a required field deleted, an unknown field
 * added, the whole document replaced by a non-mapping, the experiment naming a part that does not exist, or the
 * YAML text itself damaged. The JSON Schema generated from the zod schemas is the oracle: a structural case that
 * the schema would accept is discarded, so every case kept is bad input by the project's own definition.
 */
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';
import { jsonSchemaFor, type FileKind } from '../../src/config/json-schemas.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type FuzzKind = Extract<FileKind, 'experiment' | 'policy' | 'scenario' | 'persona'>;

export type Mutation =
  | { readonly op: 'replace'; readonly pick: number; readonly value: Json }
  | { readonly op: 'delete'; readonly pick: number }
  | { readonly op: 'add'; readonly pick: number; readonly key: string; readonly value: Json }
  | { readonly op: 'root'; readonly value: Json }
  | { readonly op: 'reference'; readonly pick: number; readonly id: string }
  | { readonly op: 'text'; readonly cut: number; readonly junk: string };

export interface MalformedFile {
  readonly kind: FuzzKind;
  readonly text: string;
  /** Dotted path of the broken field ('' when the whole document or its syntax is broken). */
  readonly path: string;
  readonly mutation: Mutation;
}

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(-1, 1.5, 2, 1e9, 0.5, -0.25),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: -5, max: 5 }), { maxKeys: 2 }),
);

/** Text that breaks YAML when spliced in: unbalanced brackets and quotes, a tab indent, a stray key. */
const yamlJunk = fc.constantFrom('[', '{a: ', '"unclosed', "'", '\t- x\n', ': :', '- [1, 2\n', '&a *b', '!!binary ~', '}\n', 'key: value: more\n');

export const mutationArbitrary = (kind: FuzzKind): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: anyValue }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.string({ minLength: 1, maxLength: 10 }), value: anyValue }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('root' as const), value: fc.oneof(anyValue.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))) }) },
    { weight: kind === 'experiment' ? 2 : 0, arbitrary: fc.record({ op: fc.constant('reference' as const), pick: fc.nat(), id: fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('text' as const), cut: fc.nat(), junk: yamlJunk }) },
  );

type Path = readonly (string | number)[];

/** Every path in a document, inner nodes included, in a fixed order. */
function allPaths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((child, i) => [i, child] as const) : Object.entries(value);
  return [...(prefix.length > 0 ? [prefix] : []), ...children.flatMap(([key, child]) => allPaths(child, [...prefix, key]))];
}

function objectPaths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const children = Array.isArray(value) ? value.map((child, i) => [i, child] as const) : Object.entries(value);
  const below = children.flatMap(([key, child]) => objectPaths(child, [...prefix, key]));
  return Array.isArray(value) ? below : [prefix, ...below];
}

function getAt(doc: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, doc);
}

function setAt(doc: Json, path: Path, value: Json | undefined): Json {
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path.at(-1) as string | number;
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return copy;
}

const ajv = new Ajv2020({ strict: false, allErrors: false });
const validators = new Map<FuzzKind, ReturnType<typeof ajv.compile>>();
function schemaAccepts(kind: FuzzKind, doc: unknown): boolean {
  let validate = validators.get(kind);
  if (!validate) {
    validate = ajv.compile(jsonSchemaFor(kind));
    validators.set(kind, validate);
  }
  return validate(doc) === true;
}

/** Applies a mutation to a valid document; null when the result is not certainly bad input (the case is skipped). */
export function breakFile(kind: FuzzKind, validText: string, mutation: Mutation): MalformedFile | null {
  const doc = parse(validText, { logLevel: 'error' }) as Json;
  const done = (broken: Json, path: Path): MalformedFile | null =>
    schemaAccepts(kind, broken) ? null : { kind, text: stringify(broken), path: path.join('.'), mutation };
  switch (mutation.op) {
    case 'replace': {
      const paths = allPaths(doc);
      const path = paths[mutation.pick % paths.length] as Path;
      return done(setAt(doc, path, mutation.value), path);
    }
    case 'delete': {
      const paths = allPaths(doc);
      const path = paths[mutation.pick % paths.length] as Path;
      return done(setAt(doc, path, undefined), path);
    }
    case 'add': {
      const paths = objectPaths(doc);
      const at = paths[mutation.pick % paths.length] as Path;
      const target = getAt(doc, at) as Record<string, Json>;
      if (mutation.key in target || mutation.key.includes('.')) return null;
      return done(setAt(doc, [...at, mutation.key], mutation.value), [...at, mutation.key]);
    }
    case 'root':
      return schemaAccepts(kind, mutation.value) ? null : { kind, text: mutation.value === null ? '' : stringify(mutation.value), path: '', mutation };
    case 'reference': {
      const lists = (['scenarios', 'personas', 'policies', 'models'] as const).filter((field) => Array.isArray((doc as Record<string, Json>)[field]));
      const field = lists[mutation.pick % lists.length] as string;
      const ids = (doc as Record<string, string[]>)[field] as string[];
      if (ids.includes(mutation.id)) return null;
      const position = Math.floor(mutation.pick / lists.length) % ids.length;
      return { kind, text: stringify(setAt(doc, [field, position], mutation.id)), path: `${field}.${position}`, mutation };
    }
    case 'text': {
      const at = mutation.cut % (validText.length + 1);
      const text = validText.slice(0, at) + mutation.junk + validText.slice(at);
      let parsed: unknown;
      try {
        parsed = parse(text, { logLevel: 'error' });
      } catch {
        return { kind, text, path: '', mutation };
      }
      return schemaAccepts(kind, parsed ?? null) ? null : { kind, text, path: '', mutation };
    }
  }
}
