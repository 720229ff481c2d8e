/**
 * `welfare-sim export` and `sql` as real processes on real runs, read back with independent readers: csv-parse for
 * CSV, hyparquet for Parquet (neither is the writer), pandas when the machine has it. Every count is checked
 * against the run's own files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, MetricsFile, RunEvent } from '../../src/core/records.ts';
import { withDictionary } from '../../src/export/table-docs.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { readJsonLines, runFixture, tempDir } from '../support/run-fixture.ts';

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true }) as Row[];

let runA: string;
let runB: string;
let records: ConversationRecord[];
let events: RunEvent[];

beforeAll(async () => {
  runA = (await runFixture('test/fixtures/experiments/small.yaml')).runDir;
  runB = (await runFixture('test/fixtures/experiments/small-other-seed.yaml')).runDir;
  records = readJsonLines<ConversationRecord>(runA, 'conversations.jsonl');
  events = readJsonLines<RunEvent>(runA, 'events.jsonl');
}, 120_000);

describe('welfare-sim export --format csv', () => {
  let out: string;
  let conversations: Row[];
  let turns: Row[];
  let metrics: Row[];

  beforeAll(async () => {
    out = join(tempDir(), 'tables');
    const result = await runWelfareSim(['export', runA, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    conversations = readCsv(join(out, 'conversations.csv'));
    turns = readCsv(join(out, 'turns.csv'));
    metrics = readCsv(join(out, 'metrics.csv'));
  }, 60_000);

  it('writes one conversation row per record of conversations.jsonl, with the same values', () => {
    expect(records).toHaveLength(324);
    expect(conversations).toHaveLength(records.length);
    conversations.forEach((row, index) => {
      const record = records[index] as ConversationRecord;
      expect(row.conversation_id).toBe(record.id);
      expect(row.policy).toBe(record.policy);
      expect(row.user_class).toBe(record.class);
      expect(row.ended).toBe(String(record.outcome !== 'not-ended'));
      expect(row.turns_to_end).toBe(record.turnsToEnd === null ? '' : String(record.turnsToEnd));
      expect(Number(row.distress_exposure)).toBe(record.distressExposure);
      expect(Number(row.sweep_minRedirects)).toBe(record.sweep.minRedirects);
      expect(Number(row.occupancy_redirecting)).toBe(record.occupancy.redirecting);
    });
  });

  it('writes one turn row per answered or blocked message, as many answered ones as each conversation counts', () => {
    const userTurns = events.filter((event) => event.type === 'turn' || event.type === 'blocked');
    expect(turns).toHaveLength(userTurns.length);
    expect(turns.map((row) => row.user_text)).toEqual(userTurns.map((event) => (event.type === 'turn' || event.type === 'blocked' ? event.user.text : '')));
    const answered = new Map<string, number>();
    for (const row of turns) if (row.kind === 'answered') answered.set(row.conversation_id as string, (answered.get(row.conversation_id as string) ?? 0) + 1);
    for (const record of records) expect(answered.get(record.id) ?? 0, record.id).toBe(record.turns);
    const blocked = turns.filter((row) => row.kind === 'blocked').length;
    expect(blocked).toBe(records.reduce((sum, record) => sum + record.blockedAfterEnd, 0));
    expect(blocked).toBeGreaterThan(0);
    expect(turns.filter((row) => row.kind === 'blocked').every((row) => row.model_action === '' && row.category !== '')).toBe(true);
  });

  it('writes metrics.json in long form, figure for figure', () => {
    const file = JSON.parse(readFileSync(join(runA, 'metrics.json'), 'utf8')) as MetricsFile;
    const endRates = metrics.filter((row) => row.scope === 'class' && row.metric === 'endRate');
    expect(endRates).toHaveLength(file.groups.length);
    endRates.forEach((row, index) => {
      const group = file.groups[index];
      expect([row.policy, row.model, row.user_class]).toEqual([group?.policy, group?.model, group?.class]);
      expect([Number(row.value), Number(row.low), Number(row.high), Number(row.successes), Number(row.n)]).toEqual([
        group?.endRate.value, group?.endRate.low, group?.endRate.high, group?.endRate.successes, group?.endRate.trials,
      ]);
    });
    for (const summary of file.policies) {
      const row = metrics.find((r) => r.scope === 'policy' && r.policy === summary.policy && r.model === summary.model && r.metric === 'falseEndRate');
      expect(row === undefined ? null : { value: Number(row.value), n: Number(row.n) }).toEqual(
        summary.falseEndRate === null ? null : { value: summary.falseEndRate.value, n: summary.falseEndRate.trials },
      );
      const exposure = metrics.find((r) => r.scope === 'policy' && r.policy === summary.policy && r.model === summary.model && r.metric === 'distressExposure');
      expect(Number(exposure?.value)).toBe(summary.distressExposure.mean);
      expect(exposure?.n).toBe(String(summary.conversations));
    }
    const notMeasured = metrics.filter((row) => row.not_measured !== '');
    expect(notMeasured.length).toBeGreaterThan(0);
    expect(notMeasured.every((row) => row.policy?.startsWith('never-end'))).toBe(true);
  });

  it('documents every column it writes in docs/tables.md, and the dictionary there is current', () => {
    const doc = readFileSync('docs/tables.md', 'utf8');
    expect(withDictionary(doc)).toBe(doc);
    for (const row of [conversations[0], turns[0], metrics[0]]) {
      for (const column of Object.keys(row ?? {})) expect(doc, column).toContain(`| \`${column.replace(/^sweep_.*/, 'sweep_<field>')}\` |`);
    }
  });

  it('reads the same in pandas, when the machine has it', (context) => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' });
    } catch {
      context.skip('pandas is not installed (apt-get install python3-pandas)');
    }
    const script = `import pandas as pd, sys\nd = pd.read_csv(sys.argv[1])\nprint(len(d), d.ended.dtype, int(d.ended.sum()), d.turns_to_end.isna().sum())`;
    const printed = execFileSync('/usr/bin/python3', ['-c', script, join(out, 'conversations.csv')], { encoding: 'utf8' }).trim();
    const ended = records.filter((record) => record.outcome !== 'not-ended').length;
    expect(printed).toBe(`${records.length} bool ${ended} ${records.length - ended}`);
  });
});

describe('welfare-sim export --format parquet', () => {
  it('writes Parquet with the declared types, row for row as the CSV', async () => {
    const out = join(tempDir(), 'parquet');
    const result = await runWelfareSim(['export', runA, runB, '--out', out, '--format', 'parquet']);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').filter(Boolean).map((line) => line.replace(out, 'OUT'))).toEqual([
      `OUT/conversations.parquet (648 rows)`,
      expect.stringMatching(/^OUT\/turns\.parquet \(\d+ rows\)$/),
      expect.stringMatching(/^OUT\/metrics\.parquet \(\d+ rows\)$/),
    ]);
    const buffer = readFileSync(join(out, 'conversations.parquet'));
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows).toHaveLength(648);
    expect(new Set(rows.map((row) => row.run))).toEqual(new Set([runA, runB]));
    const first = rows.slice(0, records.length);
    expect(first.map((row) => row.conversation_id)).toEqual(records.map((record) => record.id));
    expect(first.map((row) => row.ended)).toEqual(records.map((record) => record.outcome !== 'not-ended'));
    expect(first.map((row) => Number(row.turns))).toEqual(records.map((record) => record.turns));
    expect(first.map((row) => row.turns_to_end ?? null)).toEqual(records.map((record) => (record.turnsToEnd === null ? null : BigInt(record.turnsToEnd))));
    expect(first.map((row) => row.error ?? null)).toEqual(records.map(() => null));
  });
});

describe('welfare-sim sql', () => {
  it('answers a query over the tables of a run, and counts agree with the run files', async () => {
    const result = await runWelfareSim(['sql', runA, 'SELECT count(*) AS n, sum(ended::int) AS ended FROM conversations', '--json']);
    expect(result.stderr).toBe('');
    const ended = records.filter((record) => record.outcome !== 'not-ended').length;
    expect(JSON.parse(result.stdout)).toEqual([{ n: records.length, ended }]);
    const joined = await runWelfareSim(['sql', runA, "SELECT count(*) AS n FROM turns t JOIN conversations c USING (run, conversation_id) WHERE t.kind = 'answered'", '--csv']);
    expect(joined.stdout).toBe(`n\n${records.reduce((sum, record) => sum + record.turns, 0)}\n`);
  }, 60_000);

  it('reports a bad query and a folder of runs in one line each, exit 2', async () => {
    expect(await runWelfareSim(['sql', runA, 'SELEC 1'])).toEqual({ code: 2, stdout: '', stderr: 'SQL: expected a query DuckDB can run, found: Parser Error: syntax error at or near "SELEC"\n' });
    const folder = join(runA, '..');
    const result = await runWelfareSim(['export', folder, '--out', join(tempDir(), 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${folder}/manifest.json: expected a run directory with a manifest.json, found no such file; did you mean ${join(folder, 'run')} (the newest of 1 runs here)?\n`);
  }, 60_000);
});
