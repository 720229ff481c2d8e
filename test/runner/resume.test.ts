/**
 * --resume after an interruption completes only what is missing: the result is identical to an uninterrupted run.
 */
import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunFile, runFixture, tempDir } from '../support/run-fixture.ts';
import { runExperiment } from '../../src/runner/run-experiment.ts';
import { silentProgress } from '../../src/runner/progress.ts';
import { InputError } from '../../src/common/input-error.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

function resume(runDir: string) {
  return runExperiment({
    resumeDir: runDir,
    runsDir: tempDir(),
    noCache: true,
    cacheDir: tempDir(),
    env: {},
    now: () => new Date('2026-01-02T00:00:00Z'),
    progress: silentProgress,
    signal: new AbortController().signal,
  });
}

/** Cuts a file after `lines` whole lines plus half of the next one: what a crash mid-append leaves. */
function crashCut(path: string, lines: number): void {
  const text = readFileSync(path, 'utf8');
  let offset = 0;
  for (let i = 0; i < lines; i++) offset = text.indexOf('\n', offset) + 1;
  const nextEnd = text.indexOf('\n', offset);
  truncateSync(path, offset + Math.floor((nextEnd - offset) / 2));
}

describe('resume', () => {
  it('finishes a run cut off mid-write, identical to an uninterrupted run', async () => {
    const reference = await runFixture(SMALL);
    const crashed = join(tempDir(), 'crashed');
    cpSync(reference.runDir, crashed, { recursive: true });
    crashCut(join(crashed, 'conversations.jsonl'), 100);
    crashCut(join(crashed, 'events.jsonl'), 1100); // events run ahead of records, as they are written first
    const manifest = JSON.parse(readFileSync(join(crashed, 'manifest.json'), 'utf8'));
    writeFileSync(join(crashed, 'manifest.json'), JSON.stringify({ ...manifest, status: 'running', finishedAt: null }));

    const resumed = await resume(crashed);
    expect(resumed.manifest.status).toBe('complete');
    expect(resumed.manifest.counts).toEqual({ completed: 324, errored: 0 });
    expect(resumed.manifest.resumedAt).toEqual(['2026-01-02T00:00:00.000Z']);
    expect(readRunFile(crashed, 'conversations.jsonl')).toBe(readRunFile(reference.runDir, 'conversations.jsonl'));
    expect(readRunFile(crashed, 'metrics.json')).toBe(readRunFile(reference.runDir, 'metrics.json'));
    expect(readRunFile(crashed, 'events.jsonl')).toBe(readRunFile(reference.runDir, 'events.jsonl'));
  });

  it('resuming a complete run changes nothing', async () => {
    const reference = await runFixture(SMALL);
    const before = readRunFile(reference.runDir, 'conversations.jsonl');
    const again = await resume(reference.runDir);
    expect(again.manifest.counts.completed).toBe(324);
    expect(readRunFile(reference.runDir, 'conversations.jsonl')).toBe(before);
  });

  it('refuses a corrupted line in the middle of the records, naming the file and line', async () => {
    const reference = await runFixture(SMALL);
    const path = join(reference.runDir, 'conversations.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[41] = '{"v":1,"index":41,"id":';
    writeFileSync(path, lines.join('\n'));
    const error = await resume(reference.runDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${path}: line 42: expected a JSON record, found "{\\"v\\":1,\\"index\\":41,\\"id\\":"`);
  });

  it('refuses to resume when the experiment changed since the run started', async () => {
    const reference = await runFixture(SMALL);
    const changed = join(tempDir(), 'changed.yaml');
    writeFileSync(changed, readFileSync(SMALL, 'utf8').replace('seed: 3', 'seed: 5').replaceAll('../../../experiments', join(process.cwd(), 'experiments')));
    const error = await runExperiment({
      experimentFile: changed,
      resumeDir: reference.runDir,
      runsDir: tempDir(),
      noCache: true,
      cacheDir: tempDir(),
      env: {},
      now: () => new Date(),
      progress: silentProgress,
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      new RegExp(`^${changed}: expected the configuration the run in .* started with \\(hash [0-9a-f]{12}\\), found a changed one \\(hash [0-9a-f]{12}\\); start a new run instead$`),
    );
  });
});
