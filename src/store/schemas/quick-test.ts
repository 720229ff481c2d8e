/**
 * A zod schema compiled into one plain predicate that only answers "valid?", for the hot path: zod's safeParse
 * rebuilds every object it checks, which cost a report half as much again as reading the files. The predicate is
 * generated as the source of one function (as zod compiles its own object parsers), so checking a turn costs a
 * few property reads and allocates nothing. It is a shortcut, never a second judge: where it says yes, zod says
 * yes (test/store/quick-test.test.ts); where it says no, or where the schema uses something it does not know
 * (null), zod decides and names the problem.
 */
import type { z } from 'zod';

export type QuickTest = (value: unknown) => boolean;

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Helpers the generated code calls for what needs a loop. */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const everyItem = (v: unknown, test: QuickTest): boolean => Array.isArray(v) && v.every((item) => test(item));
const everyValue = (v: unknown, test: QuickTest): boolean => isObject(v) && Object.values(v).every((item) => test(item));
const everyEntry = (v: unknown, keys: ReadonlySet<string>, test: QuickTest): boolean =>
  isObject(v) && Object.entries(v).every(([key, item]) => keys.has(key) && test(item));

/** The predicate of a schema, or null when it uses a construct this compiler leaves to zod. */
export function quickTest(schema: z.ZodType): QuickTest | null {
  const nested: unknown[] = [];
  const body = expression(defOf(schema), 'v', nested);
  if (body === null) return null;
  const make = new Function('isObject', 'everyItem', 'everyValue', 'everyEntry', 'nested', `return (v) => ${body};`) as (...args: unknown[]) => QuickTest;
  return make(isObject, everyItem, everyValue, everyEntry, nested);
}

/** A JavaScript expression that is true when `at` (an expression) is valid; null for what zod must decide. */
function expression(def: Def, at: string, nested: unknown[]): string | null {
  const checks = (def.checks as readonly unknown[] | undefined) ?? [];
  switch (def.type) {
    case 'string':
      return checks.length === 0 ? `typeof ${at} === 'string'` : null;
    case 'boolean':
      return `typeof ${at} === 'boolean'`;
    case 'number':
      return numberExpression(checks, at);
    case 'unknown':
    case 'any':
      return 'true';
    case 'literal':
    case 'enum': {
      const values = def.type === 'literal' ? (def.values as readonly unknown[]) : Object.values(def.entries as Record<string, unknown>);
      if (!values.every((value) => ['string', 'number', 'boolean'].includes(typeof value) || value === null)) return null;
      return `(${values.map((value) => `${at} === ${JSON.stringify(value)}`).join(' || ')})`;
    }
    case 'nullable':
    case 'optional': {
      const inner = expression(defOf(def.innerType), at, nested);
      return inner && `(${at} === ${def.type === 'nullable' ? 'null' : 'undefined'} || ${inner})`;
    }
    case 'array': {
      const element = quickTest(def.element as z.ZodType);
      return element && `everyItem(${at}, nested[${nested.push(element) - 1}])`;
    }
    case 'record':
      return recordExpression(def, at, nested);
    case 'object':
      return objectExpression(def, at, nested);
    case 'union':
      return unionExpression(def, at, nested);
    default:
      return null;
  }
}

/** Finite numbers, with the integer and lower-bound checks the record schemas use; any other check: zod. */
function numberExpression(checks: readonly unknown[], at: string): string | null {
  const parts = [`typeof ${at} === 'number'`, `Number.isFinite(${at})`];
  for (const check of checks) {
    const def = defOf(check) as Def & { check?: string; format?: string; value?: unknown; inclusive?: boolean };
    if (def.check === 'number_format' && def.format === 'safeint') parts.push(`Number.isSafeInteger(${at})`);
    else if (def.check === 'greater_than' && typeof def.value === 'number') parts.push(`${at} ${def.inclusive === true ? '>=' : '>'} ${def.value}`);
    else return null;
  }
  return `(${parts.join(' && ')})`;
}

function recordExpression(def: Def, at: string, nested: unknown[]): string | null {
  const keyDef = defOf(def.keyType);
  const value = quickTest(def.valueType as z.ZodType);
  if (value === null) return null;
  const test = `nested[${nested.push(value) - 1}]`;
  if (keyDef.type === 'string' && ((keyDef.checks as unknown[] | undefined) ?? []).length === 0) return `everyValue(${at}, ${test})`;
  if (keyDef.type === 'enum' && def.partial === true) {
    const keys = `nested[${nested.push(new Set(Object.values(keyDef.entries as Record<string, unknown>))) - 1}]`;
    return `everyEntry(${at}, ${keys}, ${test})`;
  }
  return null;
}

/** Every field of the shape passes; fields the shape does not name are allowed, as z.object allows them. */
function objectExpression(def: Def, at: string, nested: unknown[]): string | null {
  if (def.catchall !== undefined) return null;
  const parts = [`isObject(${at})`];
  for (const [key, schema] of Object.entries(def.shape as Record<string, unknown>)) {
    const field = expression(defOf(schema), `${at}[${JSON.stringify(key)}]`, nested);
    if (field === null) return null;
    parts.push(field);
  }
  return `(${parts.join(' && ')})`;
}

/** A discriminated union goes straight to the option its discriminator names; any other union tries each. */
function unionExpression(def: Def, at: string, nested: unknown[]): string | null {
  const options = (def.options as readonly unknown[]).map(defOf);
  const key = def.discriminator;
  if (typeof key !== 'string') {
    const each = options.map((option) => expression(option, at, nested));
    return each.some((e) => e === null) ? null : `(${each.join(' || ')})`;
  }
  const tag = `${at}[${JSON.stringify(key)}]`;
  let chain = 'false';
  for (const option of [...options].reverse()) {
    const literal = defOf((option.shape as Record<string, unknown>)[key]);
    const test = expression(option, at, nested);
    if (literal.type !== 'literal' || test === null) return null;
    chain = `(${(literal.values as readonly unknown[]).map((value) => `${tag} === ${JSON.stringify(value)}`).join(' || ')}) ? ${test} : ${chain}`;
  }
  return `(isObject(${at}) && (${chain}))`;
}
