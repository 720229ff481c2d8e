/**
 * merge joins shard runs into exactly the run one machine would have written, and refuses every set of shards
 * that is not one whole experiment — with one line per problem and nothing left behind.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/input-error.ts';
import { shardIndices } from '../../src/core/grid.ts';
import type { RunManifest } from '../../src/store/manifest.ts';
import { mergeRuns } from '../../src/store/merge-runs.ts';
import { readRunFile, runFixture, tempDir } from '../support/run-fixture.ts';
import { captureCli } from '../scale/capture-cli.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';
const RUN_FILES = ['conversations.jsonl', 'metrics.json', 'events.jsonl'];

let whole: string;
let shards: string[];

beforeAll(async () => {
  whole = (await runFixture(SMALL)).runDir;
  shards = [];
  for (let index = 1; index <= 3; index++) shards.push((await runFixture(SMALL, { shard: { index, count: 3 } })).runDir);
});

/** A copy of a run directory that a test may damage. */
function copyRun(dir: string): string {
  const copy = join(tempDir(), 'copy');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function editManifest(dir: string, change: (manifest: RunManifest) => RunManifest): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8')) as RunManifest)));
}

async function mergeError(dirs: readonly string[], out: string): Promise<string> {
  const error = await mergeRuns({ dirs, out }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(existsSync(out)).toBe(false);
  return (error as InputError).message;
}

describe('mergeRuns', () => {
  it('shard i of n holds indices i-1, i-1+n, … (the order merge relies on)', () => {
    expect([...shardIndices(10, 2, 3)]).toEqual([1, 4, 7]);
  });

  it('gives records, metrics and events byte-identical to a one-machine run, shards in any order', async () => {
    const out = join(tempDir(), 'merged');
    const outcome = await mergeRuns({ dirs: [shards[2], shards[0], shards[1]] as string[], out });
    expect(outcome.eventsOrder).toBe('grid');
    for (const file of RUN_FILES) expect(readRunFile(out, file), file).toBe(readRunFile(whole, file));
    const manifest = JSON.parse(readRunFile(out, 'manifest.json')) as RunManifest;
    const single = JSON.parse(readRunFile(whole, 'manifest.json')) as RunManifest;
    expect(manifest).toMatchObject({ shard: null, planned: 324, gridSize: 324, status: 'complete', counts: { completed: 324, errored: 0 }, configHash: single.configHash });
    expect(manifest.mergedFrom?.map((m) => [m.dir, m.shard, m.counts])).toEqual([1, 2, 3].map((i) => [shards[i - 1], { index: i, count: 3 }, { completed: 108, errored: 0 }]));
  });

  it('joins events shard by shard when a shard wrote them out of grid order, and says so', async () => {
    const shuffled = copyRun(shards[1] as string);
    const lines = readRunFile(shuffled, 'events.jsonl').split('\n').filter((l) => l.length > 0);
    writeFileSync(join(shuffled, 'events.jsonl'), [...lines.slice(40), ...lines.slice(0, 40)].map((l) => l + '\n').join(''));
    const out = join(tempDir(), 'merged');
    const outcome = await mergeRuns({ dirs: [shards[0] as string, shuffled, shards[2] as string], out });
    expect(outcome.eventsOrder).toBe('shard');
    const joined = [shards[0] as string, shuffled, shards[2] as string].map((d) => readRunFile(d, 'events.jsonl')).join('');
    expect(readRunFile(out, 'events.jsonl')).toBe(joined);
    expect(readRunFile(out, 'conversations.jsonl')).toBe(readRunFile(whole, 'conversations.jsonl'));
  });

  it('refuses duplicate, missing and unfinished shards and a whole run, one line each', async () => {
    const unfinished = copyRun(shards[1] as string);
    editManifest(unfinished, (m) => ({ ...m, status: 'running' }));
    const [s1] = shards as [string];
    const out = join(tempDir(), 'merged');
    expect(await mergeError([s1, unfinished, s1, whole], out)).toBe(
      [
        `${unfinished}/manifest.json: status: expected "complete", found "running"; finish it with: welfare-sim run --resume ${unfinished}`,
        `${s1}/manifest.json: shard.index: expected each shard once, found shard 1/3 again (also in ${s1})`,
        `${whole}/manifest.json: shard.count: expected 3 (as in ${s1}), found 1 (a whole run, not a shard)`,
        'welfare-sim merge: shards: expected all 3 shards of small, found no shard 3/3; run it with --shard 3/3',
      ].join('\n'),
    );
  });

  it('refuses shards of another experiment or another configuration', async () => {
    const other = (await runFixture('test/fixtures/experiments/small-other-seed.yaml', { shard: { index: 2, count: 3 } })).runDir;
    const changed = copyRun(shards[2] as string);
    editManifest(changed, (m) => ({ ...m, configHash: 'f'.repeat(64) }));
    const [s1] = shards as [string];
    expect(await mergeError([s1, other, changed], join(tempDir(), 'merged'))).toBe(
      [
        `${other}/manifest.json: experiment: expected "small" (as in ${s1}), found "small-other-seed"; shards must come from the same experiment`,
        `${changed}/manifest.json: configHash: expected "${JSON.parse(readRunFile(s1, 'manifest.json')).configHash}" (as in ${s1}), found "${'f'.repeat(64)}"; the experiment or one of its parts changed between shards`,
        'welfare-sim merge: shards: expected all 3 shards of small, found no shard 2/3, 3/3; run them with --shard 2/3, --shard 3/3',
      ].join('\n'),
    );
  });

  it('refuses a directory that is not a run, and an --out with files in it', async () => {
    const empty = tempDir();
    expect(await mergeError([empty], join(tempDir(), 'merged'))).toBe(`${empty}/manifest.json: expected a run directory with a manifest.json, found no such file`);
    const busy = tempDir();
    mkdirSync(join(busy, 'x'));
    const error = await mergeRuns({ dirs: shards, out: busy }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`--out: expected a new or empty directory, found ${busy} with files in it`);
  });

  it('refuses a lost conversation, naming the shard file and line', async () => {
    const lossy = copyRun(shards[1] as string);
    const path = join(lossy, 'conversations.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(10, 1);
    writeFileSync(path, lines.join('\n'));
    expect(await mergeError([shards[0] as string, lossy, shards[2] as string], join(tempDir(), 'merged'))).toBe(
      `${path}: line 11: expected grid index 31 (shard 2/3 holds every 3rd conversation, in order), found 34`,
    );
  });

  it('refuses a duplicated conversation at the end of a shard', async () => {
    const doubled = copyRun(shards[2] as string);
    const path = join(doubled, 'conversations.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text + text.split('\n')[0] + '\n');
    expect(await mergeError([shards[0] as string, shards[1] as string, doubled], join(tempDir(), 'merged'))).toBe(
      `${path}: line 109: expected the end of shard 3/3 after its 108 conversations, found another record (index 2)`,
    );
  });

  it('refuses an events.jsonl line corrupted in the middle, naming the line', async () => {
    const damaged = copyRun(shards[0] as string);
    const path = join(damaged, 'events.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[12] = (lines[12] as string).slice(0, 20);
    writeFileSync(path, lines.join('\n'));
    expect(await mergeError([damaged, shards[1] as string, shards[2] as string], join(tempDir(), 'merged'))).toBe(
      `${path}: line 13: expected a JSON record, found ${JSON.stringify(lines[12])}`,
    );
  });

  it('refuses an events.jsonl cut short at the end, naming the line', async () => {
    const damaged = copyRun(shards[1] as string);
    const path = join(damaged, 'events.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, -30));
    const lineCount = text.split('\n').length - 1;
    expect(await mergeError([shards[0] as string, damaged, shards[2] as string], join(tempDir(), 'merged'))).toBe(
      `${path}: line ${lineCount}: expected a complete JSON line, found a line cut short (the run was interrupted mid-write; \`welfare-sim run --resume ${damaged}\` repairs it)`,
    );
  });

  it('welfare-sim merge prints a JSON summary, and exits 2 with one line per problem', async () => {
    const out = join(tempDir(), 'merged');
    const ok = await captureCli(['merge', ...shards, '--out', out, '--json', '--no-report']);
    expect(ok).toEqual({ code: 0, stderr: '', stdout: JSON.stringify({ runDir: out, conversations: 324, errored: 0, shards: 3, eventsOrder: 'grid' }) + '\n' });
    const [s1, s2] = shards as [string, string];
    const bad = await captureCli(['merge', s1, s2, '--out', join(tempDir(), 'merged'), '--json']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'welfare-sim merge: shards: expected all 3 shards of small, found no shard 3/3; run it with --shard 3/3\n' });
  });
});
