/**
 * Turns zod issues into InputProblems a researcher can act on: the dotted field path, what was expected, what
 * was found (the value as written), and "did you mean" for typos in field names and choices.
 */
import type { z } from 'zod';
import { fileStem } from './file-kind.ts';
import type { InputProblem } from '../common/input-error.ts';
import type { JsonSchema } from './json-schemas.ts';
import { describeNumber, keyChoicesAt, knownKeysAt, numberBoundsAt } from './schema-walk.ts';
import { closestMatch, didYouMean } from './suggest.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** The value as the user wrote it, short enough for one line. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'boolean',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** The value at a field path of parsed YAML data; undefined where the path leads nowhere. */
export function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * The field path as a user reads it: dotted, with a turn also numbered as it is counted, from 1 —
 * `turns[1] (turn 2).severity` — since a YAML list shows no index and `turns.1` reads as the first turn.
 */
export function dotted(path: Path): string {
  const parts: string[] = [];
  path.forEach((key, at) => {
    if (typeof key === 'number' && path[at - 1] === 'turns' && parts.length > 0) parts[parts.length - 1] = `turns[${key}] (turn ${key + 1})`;
    else parts.push(String(key));
  });
  return parts.join('.');
}

/** A file name or path where an id belongs ("eager.yaml", "policies/eager.yaml"): the id it names. */
function idFromFileName(found: unknown): string | undefined {
  if (typeof found !== 'string' || !/[./\\]/.test(found)) return undefined;
  const stem = fileStem(found.replace(/\\/g, '/'));
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem) && stem !== found ? stem : undefined;
}

function choices(values: readonly unknown[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map(String).join(' | ')}`;
}

function choiceMessage(values: readonly unknown[], found: unknown): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const hint = typeof found === 'string' ? didYouMean(found, strings) : '';
  return `expected ${choices(values)}, found ${describeFound(found)}${hint}`;
}

/** What one union branch expected of the value itself ("a list", "\"all\""), when it rejected it outright. */
function branchExpectation(issues: readonly Issue[]): string | undefined {
  const issue = issues.find((i) => i.path.length === 0);
  if (issue?.code === 'invalid_value') return choices(issue.values);
  if (issue?.code === 'invalid_type') return TYPE_NAMES[issue.expected] ?? issue.expected;
  return undefined;
}

function sizeMessage(issue: Issue & { code: 'too_big' | 'too_small' }, found: unknown, root: JsonSchema, path: Path): string {
  if (issue.origin === 'number' || issue.origin === 'int') {
    const bounds = numberBoundsAt(root, path);
    return `expected ${bounds ? describeNumber(bounds) : issue.message}, found ${describeFound(found)}`;
  }
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  const atLeast = issue.code === 'too_small' ? 'at least' : 'at most';
  if (issue.origin === 'array') {
    const count = Array.isArray(found) ? found.length : 0;
    const foundText = count === 0 ? 'an empty list' : `${count} item${count === 1 ? '' : 's'}`;
    return `expected a list of ${atLeast} ${limit} item${limit === 1 ? '' : 's'}, found ${foundText}`;
  }
  if (issue.origin === 'string' && issue.code === 'too_small' && limit === 1) {
    return `expected a non-empty text, found ${describeFound(found)}`;
  }
  return `expected ${atLeast} ${limit} ${issue.origin === 'string' ? 'characters' : 'entries'}, found ${describeFound(found)}`;
}

function problemsOf(file: string, issue: Issue, data: unknown, root: JsonSchema, prefix: Path): InputProblem[] {
  const path = [...prefix, ...issue.path];
  const found = valueAt(data, path);
  const at = (message: string): InputProblem[] => [{ file, path: dotted(path), message }];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(root, path);
      // A mapping whose keys come from a short list (the sweep's fields) names them all: the list is the answer.
      const choices = keyChoicesAt(root, path);
      const what = path.length === 1 && path[0] === 'sweep' ? 'the sweepable fields are' : 'expected one of';
      const listing = choices.length === 0 ? '' : ` (${what} ${choices.join(', ')})`;
      return issue.keys.map((key) => {
        const match = closestMatch(key, known);
        const message = match === undefined ? 'unknown field' : `unknown field, did you mean "${match}"?`;
        return { file, path: dotted([...path, key]), message: message + listing };
      });
    }
    case 'invalid_type': {
      const bounds = issue.expected === 'int' || issue.expected === 'number' ? numberBoundsAt(root, path) : undefined;
      const expected = bounds ? describeNumber(bounds) : (TYPE_NAMES[issue.expected] ?? issue.expected);
      return at(`expected ${expected}, found ${describeFound(found)}`);
    }
    case 'too_big':
    case 'too_small':
      return at(sizeMessage(issue, found, root, path));
    case 'invalid_value':
      return at(choiceMessage(issue.values, found));
    case 'invalid_format': {
      const id = idFromFileName(found);
      const hint = id === undefined ? '' : `; did you mean "${id}"? (an id is the file name without its folder and .yaml)`;
      return at(`expected ${issue.message}, found ${describeFound(found)}${hint}`);
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options)) return at(choiceMessage(options, found));
      // A branch that accepted the value's shape but not its content has the specific problem: report that one.
      const specific = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
      if (specific) return specific.flatMap((inner) => problemsOf(file, inner, data, root, path));
      const expected = issue.errors.map(branchExpectation).filter((e): e is string => e !== undefined);
      return at(`expected ${expected.length > 0 ? expected.join(' or ') : 'another value'}, found ${describeFound(found)}`);
    }
    default:
      return at(`${issue.message}, found ${describeFound(found)}`);
  }
}

/** One InputProblem per zod issue (one per unknown key), in the order zod reports them. */
export function zodProblems(file: string, issues: readonly Issue[], data: unknown, root: JsonSchema): InputProblem[] {
  return issues.flatMap((issue) => problemsOf(file, issue, data, root, []));
}
