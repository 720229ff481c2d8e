/**
 * A damaged events.jsonl is never read past silently: seeded damage (a line cut short, bytes overwritten, a line
 * that is JSON but not a record, a torn last line) makes `run --resume`, `report` and `merge` each exit 2 naming
 * the file and the damaged line.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFixture, tempDir } from '../support/run-fixture.ts';
import { captureCli } from './capture-cli.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

type Damage =
  | { readonly kind: 'cut'; readonly line: number; readonly keep: number }
  | { readonly kind: 'overwrite'; readonly line: number; readonly at: number; readonly bytes: string }
  | { readonly kind: 'not-a-record'; readonly line: number; readonly json: string }
  | { readonly kind: 'torn-tail'; readonly keep: number };

const damageArbitrary: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), line: fc.nat(), keep: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }),
  fc.record({ kind: fc.constant('overwrite' as const), line: fc.nat(), at: fc.double({ min: 0, max: 0.95, noNaN: true }), bytes: fc.constantFrom('\u0000\u0000\u0000\u0000', '}}', '"\u0000', ']]]', '\ufffd\ufffd') }),
  fc.record({ kind: fc.constant('not-a-record' as const), line: fc.nat(), json: fc.constantFrom('42', 'null', '[]', '"text"', 'true') }),
  fc.record({ kind: fc.constant('torn-tail' as const), keep: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }),
);

/** Damages the file's text; returns the 1-based number of the damaged line, or null if the damage left valid records. */
function damage(path: string, what: Damage): number | null {
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  if (what.kind === 'torn-tail') {
    const last = lines.pop() as string;
    writeFileSync(path, lines.map((l) => l + '\n').join('') + last.slice(0, Math.max(1, Math.floor(what.keep * last.length))));
    return lines.length + 1;
  }
  // Never the last line: a damaged last line is the torn-tail case.
  const index = what.line % (lines.length - 1);
  const line = lines[index] as string;
  const damaged =
    what.kind === 'cut'
      ? line.slice(0, Math.max(1, Math.floor(what.keep * line.length)))
      : what.kind === 'overwrite'
        ? line.slice(0, Math.floor(what.at * line.length)) + what.bytes + line.slice(Math.floor(what.at * line.length) + what.bytes.length)
        : what.json;
  try {
    const parsed: unknown = JSON.parse(damaged);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return null;
  } catch {
    // damaged, as intended
  }
  lines[index] = damaged;
  writeFileSync(path, lines.map((l) => l + '\n').join(''));
  return index + 1;
}

let shards: string[];
beforeAll(async () => {
  shards = [];
  for (const index of [1, 2]) shards.push((await runFixture(SMALL, { shard: { index, count: 2 } })).runDir);
});

function damagedCopy(what: Damage): { dir: string; path: string; line: number } | null {
  const dir = join(tempDir(), 'shard-1');
  cpSync(shards[0] as string, dir, { recursive: true });
  const path = join(dir, 'events.jsonl');
  const line = damage(path, what);
  return line === null ? null : { dir, path, line };
}

describe('damaged events.jsonl', { timeout: 120_000 }, () => {
  it('is refused by --resume, report and merge, naming the file and line (12 seeded kinds of damage)', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(damageArbitrary, async (what) => {
        const first = damagedCopy(what);
        fc.pre(first !== null);
        const expected = new RegExp(`^${first.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line ${first.line}: expected [^\\n]+\\n$`);
        const context = JSON.stringify(what);

        const merged = await captureCli(['merge', first.dir, shards[1] as string, '--out', join(tempDir(), 'merged'), '--no-report']);
        expect({ code: merged.code, stdout: merged.stdout }, context).toEqual({ code: 2, stdout: '' });
        expect(merged.stderr, context).toMatch(expected);

        const report = await captureCli(['report', first.dir, '--no-png']);
        expect(report.code, context).toBe(2);
        expect(report.stderr, context).toMatch(expected);

        const before = readFileSync(first.path, 'utf8');
        const resumed = await captureCli(['run', '--resume', first.dir, '--no-report', '--json']);
        expect(resumed.code, `${context}\n${resumed.stderr}`).toBe(2);
        expect(resumed.stderr, context).toMatch(expected);
        expect(readFileSync(first.path, 'utf8'), `resume changed the damaged file: ${context}`).toBe(before);
        expect(readdirSync(first.dir).filter((name) => name.includes('.tmp-')), context).toEqual([]);
        cases += 1;
      }),
      { seed: 606, numRuns: 12 },
    );
    expect(cases).toBe(12);
  });
});
