/**
 * A zod schema compiled into a plain predicate that only answers "valid?", for the hot path: zod's safeParse
 * rebuilds every object it checks, which cost a report half as much again as reading the files. The predicate
 * allocates nothing. It is a shortcut, never a second judge: where it says yes, zod says yes (test/store); where
 * it says no, or where the schema uses something it does not know (null), zod decides and names the problem.
 */
import type { z } from 'zod';

export type QuickTest = (value: unknown) => boolean;

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The predicate of a schema, or null when it uses a construct this compiler leaves to zod. */
export function quickTest(schema: z.ZodType): QuickTest | null {
  return compile(defOf(schema));
}

function compile(def: Def): QuickTest | null {
  switch (def.type) {
    case 'string':
      return def.checks === undefined || (def.checks as unknown[]).length === 0 ? (v) => typeof v === 'string' : null;
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'number':
      return numberTest((def.checks as readonly unknown[] | undefined) ?? []);
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = def.values as readonly unknown[];
      const [only] = values;
      return values.length === 1 ? (v) => v === only : (v) => values.includes(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'nullable':
    case 'optional': {
      const inner = compile(defOf(def.innerType));
      const empty = def.type === 'nullable' ? null : undefined;
      return inner && ((v) => v === empty || inner(v));
    }
    case 'array': {
      const element = compile(defOf(def.element));
      return element && ((v) => Array.isArray(v) && v.every(element));
    }
    case 'record':
      return recordTest(def);
    case 'object':
      return objectTest(def);
    case 'union':
      return unionTest(def);
    default:
      return null;
  }
}

/** Finite numbers, with the integer and lower-bound checks the record schemas use; any other check: zod. */
function numberTest(checks: readonly unknown[]): QuickTest | null {
  let integer = false;
  let min = -Infinity;
  let inclusive = true;
  for (const check of checks) {
    const def = defOf(check) as Def & { check?: string; format?: string; value?: number; inclusive?: boolean };
    if (def.check === 'number_format' && def.format === 'safeint') integer = true;
    else if (def.check === 'greater_than' && typeof def.value === 'number') {
      min = def.value;
      inclusive = def.inclusive === true;
    } else return null;
  }
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isSafeInteger(v)) && (inclusive ? v >= min : v > min);
}

function recordTest(def: Def): QuickTest | null {
  const keyDef = defOf(def.keyType);
  const value = compile(defOf(def.valueType));
  if (value === null) return null;
  if (keyDef.type === 'string' && (keyDef.checks === undefined || (keyDef.checks as unknown[]).length === 0)) {
    return (v) => isPlainObject(v) && Object.values(v).every(value);
  }
  if (keyDef.type === 'enum' && def.partial === true) {
    const keys = new Set(Object.values(keyDef.entries as Record<string, unknown>));
    return (v) => isPlainObject(v) && Object.entries(v).every(([k, x]) => keys.has(k) && value(x));
  }
  return null;
}

/** A discriminated union goes straight to the option its discriminator names; any other union tries each. */
function unionTest(def: Def): QuickTest | null {
  const optionDefs = (def.options as readonly unknown[]).map(defOf);
  const tests = optionDefs.map(compile);
  if (tests.some((test) => test === null)) return null;
  const key = def.discriminator;
  if (typeof key !== 'string') return (v) => (tests as QuickTest[]).some((test) => test(v));
  const byValue = new Map<unknown, QuickTest>();
  for (const [at, option] of optionDefs.entries()) {
    const tag = defOf((option.shape as Record<string, unknown>)[key]);
    if (tag.type !== 'literal') return null;
    for (const value of tag.values as readonly unknown[]) byValue.set(value, tests[at] as QuickTest);
  }
  return (v) => isPlainObject(v) && (byValue.get(v[key])?.(v) ?? false);
}

/** Every field of the shape passes; fields the shape does not name are allowed, as z.object allows them. */
function objectTest(def: Def): QuickTest | null {
  if (def.catchall !== undefined) return null;
  const fields: [string, QuickTest][] = [];
  for (const [key, schema] of Object.entries(def.shape as Record<string, unknown>)) {
    const test = compile(defOf(schema));
    if (test === null) return null;
    fields.push([key, test]);
  }
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const [key, test] of fields) if (!test(v[key])) return false;
    return true;
  };
}
