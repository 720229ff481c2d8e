/**
 * The compiled shortcut of the record checks never accepts what zod refuses: seeded random damage to real records
 * (a field removed, retyped, set out of range or to another variant), each judged by both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { quickTest } from '../../src/store/schemas/quick-test.ts';
import { conversationRecordSchema, liveCellLineSchema, runEventSchema } from '../../src/store/schemas/record-schemas.ts';
import { fixtureRecords } from '../report/fixture-run.ts';

const { conversations, events } = fixtureRecords({ classes: ['abusive', 'at-risk', 'user-requests-end'], repetitions: 2 });

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

const REPLACEMENTS: readonly unknown[] = [undefined, null, -1, 1.5, 0, 7, '', 'turn', 'vetoed', 'x', true, false, [], {}, [1], { v: 1 }, 2 ** 60, 'engaged'];

function damaged(record: unknown, at: number, replacement: number): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  const all = paths(copy).filter((path) => path.length > 0);
  const path = all[at % all.length] as (string | number)[];
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  const value = REPLACEMENTS[replacement % REPLACEMENTS.length];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

function agreesWithZod(schema: z.ZodType, records: readonly unknown[]): void {
  const quick = quickTest(schema);
  expect(quick, 'the record schemas compile (else the shortcut is never taken)').not.toBeNull();
  for (const record of records) expect(quick?.(record)).toBe(true);
  let refused = 0;
  fc.assert(
    fc.property(fc.nat(records.length - 1), fc.nat(), fc.nat(), (which, at, replacement) => {
      const value = damaged(records[which], at, replacement);
      const zodSays = schema.safeParse(value).success;
      if (!zodSays) refused += 1;
      // Sound: never yes where zod says no. (It may say no where zod says yes: zod then decides.)
      if (quick?.(value) === true) expect(zodSays).toBe(true);
    }),
    { seed: 20261202, numRuns: 3000 },
  );
  expect(refused, 'the damage must produce records zod refuses, or the property says nothing').toBeGreaterThan(300);
}

describe('quickTest', () => {
  it('accepts the real records and never accepts a damaged one that zod refuses (conversations)', () => agreesWithZod(conversationRecordSchema, conversations));
  it('... (events: turns, branches, blocked messages)', () => agreesWithZod(runEventSchema, events));
  it('... (live cells)', () => agreesWithZod(liveCellLineSchema, conversations.slice(0, 4).map((c) => ({ cell: { index: c.index, id: c.id, user: c.user, userKind: c.userKind, class: c.class, model: c.model, policy: c.policy, basePolicy: c.basePolicy, sweep: c.sweep, seed: c.seed }, classGiven: true }))));
});
