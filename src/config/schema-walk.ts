/**
 * Looks things up in a generated JSON Schema by a field path: which keys are allowed there (for "did you mean"),
 * and the bounds of a number (for "expected a number from 0 to 1"). The JSON Schema is plain data, so this needs
 * no knowledge of zod internals.
 */
import type { JsonSchema } from './json-schemas.ts';

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A node and the alternatives it stands for (anyOf / oneOf / allOf branches), flattened. */
function alternatives(node: JsonSchema): JsonSchema[] {
  const branches = [node.anyOf, node.oneOf, node.allOf].flatMap((list) => (Array.isArray(list) ? list : []));
  return [node, ...branches.filter(isSchema).flatMap(alternatives)];
}

/** Every schema node that may describe the value at `path` (several when unions are involved). */
export function schemasAt(root: JsonSchema, path: readonly PropertyKey[]): JsonSchema[] {
  let nodes = alternatives(root);
  for (const key of path) {
    const next: JsonSchema[] = [];
    for (const node of nodes) {
      const properties = node.properties;
      if (typeof key === 'string' && isSchema(properties) && isSchema(properties[key])) next.push(properties[key]);
      else if (typeof key === 'number' && isSchema(node.items)) next.push(node.items);
      else if (isSchema(node.additionalProperties)) next.push(node.additionalProperties);
    }
    nodes = next.flatMap(alternatives);
  }
  return nodes;
}

/** The field names a mapping at `path` may have, in schema order. */
export function knownKeysAt(root: JsonSchema, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const node of schemasAt(root, path)) {
    if (isSchema(node.properties)) for (const key of Object.keys(node.properties)) keys.add(key);
    if (isSchema(node.propertyNames) && Array.isArray(node.propertyNames.enum)) {
      for (const key of node.propertyNames.enum) if (typeof key === 'string') keys.add(key);
    }
  }
  keys.delete('$schema');
  return [...keys];
}

/** The keys a mapping at `path` is limited to by a list (`propertyNames.enum`, as in a sweep), if it is. */
export function keyChoicesAt(root: JsonSchema, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const node of schemasAt(root, path)) {
    if (isSchema(node.propertyNames) && Array.isArray(node.propertyNames.enum)) {
      for (const key of node.propertyNames.enum) if (typeof key === 'string') keys.add(key);
    }
  }
  return [...keys];
}

/** The limits a number field accepts, as the JSON Schema states them. */
export interface NumberBounds {
  readonly integer: boolean;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

/** zod writes the safe-integer limits for a bare z.int(); they are no bound a user should read about. */
const bound = (value: unknown): number | undefined =>
  typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;

/** The bounds of the number at `path`, if the schema has a number there. */
export function numberBoundsAt(root: JsonSchema, path: readonly PropertyKey[]): NumberBounds | undefined {
  const node = schemasAt(root, path).find((n) => n.type === 'number' || n.type === 'integer');
  if (node === undefined) return undefined;
  const result: { -readonly [K in keyof NumberBounds]: NumberBounds[K] } = { integer: node.type === 'integer' };
  const minimum = bound(node.minimum);
  const exclusiveMinimum = bound(node.exclusiveMinimum);
  const maximum = bound(node.maximum);
  const exclusiveMaximum = bound(node.exclusiveMaximum);
  if (minimum !== undefined) result.minimum = minimum;
  if (exclusiveMinimum !== undefined) result.exclusiveMinimum = exclusiveMinimum;
  if (maximum !== undefined) result.maximum = maximum;
  if (exclusiveMaximum !== undefined) result.exclusiveMaximum = exclusiveMaximum;
  return result;
}

/** "a number from 0 to 1", "an integer of at least 1", "a number above 0". */
export function describeNumber(bounds: NumberBounds): string {
  const noun = bounds.integer ? 'an integer' : 'a number';
  const { minimum, exclusiveMinimum, maximum, exclusiveMaximum } = bounds;
  if (minimum !== undefined && maximum !== undefined) return `${noun} from ${minimum} to ${maximum}`;
  const parts: string[] = [];
  if (minimum !== undefined) parts.push(`of at least ${minimum}`);
  if (exclusiveMinimum !== undefined) parts.push(`above ${exclusiveMinimum}`);
  if (maximum !== undefined) parts.push(`of at most ${maximum}`);
  if (exclusiveMaximum !== undefined) parts.push(`below ${exclusiveMaximum}`);
  return parts.length === 0 ? noun : `${noun} ${parts.join(' and ')}`;
}
