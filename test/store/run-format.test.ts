/**
 * The run directory's format: every record is checked against its schema, and a run of another format version is
 * refused in one line (file, field, expected, found) with exit 2, by every command that reads runs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecords, type RecordFile } from '../../src/store/run-records.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';
import { writeFixtureRun } from '../report/fixture-run.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

/** A copy of a run whose `file` has its line `line` (1-based) changed by `change`. */
function withChangedLine(run: string, file: string, line: number, change: (record: Record<string, unknown>) => void): string {
  const dir = join(tempDir(), 'run');
  cpSync(run, dir, { recursive: true });
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const record = JSON.parse(lines[line - 1] as string) as Record<string, unknown>;
  change(record);
  lines[line - 1] = JSON.stringify(record);
  writeFileSync(path, lines.join('\n'));
  return dir;
}

async function firstProblem(dir: string, file: RecordFile): Promise<string> {
  try {
    for await (const _ of readRecords(dir, file));
  } catch (error) {
    return (error as Error).message;
  }
  return 'no problem';
}

describe('records that fail their schema', () => {
  const fixture = writeFixtureRun(join(tempDir(), 'fixture'));

  it('name the file, the line, the field, what was expected and what was found', async () => {
    const cases: [string, number, (r: Record<string, unknown>) => void, string][] = [
      ['conversations.jsonl', 3, (r) => (r.turns = '7'), 'line 3: turns: expected an integer of at least 0, found "7"'],
      ['conversations.jsonl', 5, (r) => delete r.censored, 'line 5: censored: expected boolean, found nothing'],
      [
        'conversations.jsonl',
        2,
        (r) => (r.outcome = 'ended-by-users'),
        'line 2: outcome: expected one of ended-by-model | ended-by-user-request | ended-by-platform | not-ended, found "ended-by-users"; did you mean "ended-by-user-request"?',
      ],
      ['events.jsonl', 4, (r) => (r.type = 'teleport'), 'line 4: type: expected one of turn | blocked | branch | new-chat, found "teleport"'],
    ];
    for (const [file, line, change, expected] of cases) {
      const dir = withChangedLine(fixture, file, line, change);
      expect(await firstProblem(dir, file === 'events.jsonl' ? 'events' : 'conversations')).toBe(`${join(dir, file)}: ${expected}`);
    }
  });

  it('a turn with a label of the wrong type is refused at its field path', async () => {
    const lines = readFileSync(join(fixture, 'events.jsonl'), 'utf8').split('\n');
    const turnLine = lines.findIndex((text) => text.includes('"type":"turn"')) + 1;
    const dir = withChangedLine(fixture, 'events.jsonl', turnLine, (r) => ((r.user as { labels: { severity: unknown } }).labels.severity = 'high'));
    expect(await firstProblem(dir, 'events')).toBe(`${join(dir, 'events.jsonl')}: line ${turnLine}: user.labels.severity: expected a number, found "high"`);
  });

  it('a record of another format version is refused on its version first', async () => {
    const dir = withChangedLine(fixture, 'conversations.jsonl', 1, (r) => {
      r.v = 2;
      r.turns = 'seven';
    });
    expect(await firstProblem(dir, 'conversations')).toBe(
      `${join(dir, 'conversations.jsonl')}: line 1: v: expected 1, found 2; written by a newer welfare-sim (run format 2): read it with that version, or run the experiment again with this one`,
    );
  });

  it('the fixture itself passes (a check that refused everything would pass the cases above)', async () => {
    expect(await firstProblem(fixture, 'conversations')).toBe('no problem');
    expect(await firstProblem(fixture, 'events')).toBe('no problem');
  });
});

describe('a run of another format version', { timeout: 180_000 }, () => {
  let run: string;
  beforeAll(async () => {
    run = (await runFixture(SMALL)).runDir;
  });

  it('is refused in one line with exit 2 by report, run --resume, merge and export, and left unchanged', async () => {
    const dir = join(tempDir(), 'future');
    cpSync(run, dir, { recursive: true });
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, formatVersion: 2 }, null, 2));
    const before = readFileSync(join(dir, 'conversations.jsonl'), 'utf8');
    const line = `${manifestPath}: formatVersion: expected 1, found 2; written by a newer welfare-sim (run format 2): read it with that version, or run the experiment again with this one\n`;
    const commands = [
      ['report', dir, '--no-png'],
      ['run', '--resume', dir, '--no-report', '--json'],
      ['merge', dir, '--out', join(tempDir(), 'merged'), '--no-report'],
      ['export', dir, '--out', join(tempDir(), 'tables')],
    ];
    for (const args of commands) {
      const result = await runWelfareSim(args);
      expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ args, code: 2, stderr: line, stdout: '' });
    }
    expect(readFileSync(join(dir, 'conversations.jsonl'), 'utf8')).toBe(before);
  });

  it('a manifest field of the wrong type is one line naming it, for the commands that act on the manifest', async () => {
    const dir = join(tempDir(), 'odd');
    cpSync(run, dir, { recursive: true });
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, counts: { completed: 'all', errored: 0 } }, null, 2));
    const result = await runWelfareSim(['run', '--resume', dir, '--no-report', '--json']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${manifestPath}: counts.completed: expected an integer of at least 0, found "all"\n` });
  });
});
