import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/report/load-run.ts';
import { writeFixtureRun } from './fixture-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-load-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadRun', () => {
  it('reads CRLF files and a last line without a newline the same as LF files', async () => {
    const plain = writeFixtureRun(join(dir, 'plain'));
    const crlf = writeFixtureRun(join(dir, 'crlf'));
    for (const file of ['conversations.jsonl', 'events.jsonl']) {
      const text = readFileSync(join(crlf, file), 'utf8').trimEnd();
      writeFileSync(join(crlf, file), text.replace(/\n/g, '\r\n'));
    }
    const [a, b] = await Promise.all([loadRun(plain), loadRun(crlf)]);
    expect(b.totals).toEqual(a.totals);
    expect(b.distressByTurn).toEqual(a.distressByTurn);
  });

  it('names the file and line of a record that is not JSON', async () => {
    const broken = writeFixtureRun(join(dir, 'broken'));
    const lines = readFileSync(join(broken, 'events.jsonl'), 'utf8').split('\n');
    lines[4] = '{"type": "turn", oops';
    writeFileSync(join(broken, 'events.jsonl'), lines.join('\n'));
    await expect(loadRun(broken)).rejects.toThrow(`${join(broken, 'events.jsonl')}: line 5: expected a JSON record, found "{\\"type\\": \\"turn\\", oops"`);
  });

  it('reads the manifest fields the report shows', async () => {
    const data = await loadRun(writeFixtureRun(join(dir, 'manifest')));
    expect(data.manifest).toMatchObject({ experiment: 'fixture', status: 'completed', seed: 1, configHash: 'abc123', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(data.metrics).toBeNull();
  });
});

describe('loadRun on an interrupted run', () => {
  it('says when the last line was cut short', async () => {
    const torn = writeFixtureRun(join(dir, 'torn'));
    const text = readFileSync(join(torn, 'events.jsonl'), 'utf8');
    writeFileSync(join(torn, 'events.jsonl'), text.slice(0, text.length - 40));
    const lines = text.trimEnd().split('\n').length;
    await expect(loadRun(torn)).rejects.toThrow(`${join(torn, 'events.jsonl')}: line ${lines}: expected a complete JSON line, found a line cut short`);
  });

  it('refuses a line that is JSON but not a record', async () => {
    const odd = writeFixtureRun(join(dir, 'odd'));
    writeFileSync(join(odd, 'conversations.jsonl'), '[1, 2]\n');
    await expect(loadRun(odd)).rejects.toThrow(`${join(odd, 'conversations.jsonl')}: line 1: expected a JSON object, found "[1, 2]"`);
  });
});
