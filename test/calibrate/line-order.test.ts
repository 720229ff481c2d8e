/**
 * A run recorded under concurrency writes its conversations' lines in the order they finished, which differs from
 * one recording to the next. The fit must not: the same conversations, interleaved otherwise, give the same profile.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';

describe('calibrate and the order of a run\'s lines', () => {
  it('gives the same profile when the conversations\' event lines come in another order', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/calibration.yaml', { threads: 1 });
    const reordered = join(tempDir(), 'reordered');
    cpSync(runDir, reordered, { recursive: true });
    // Each conversation keeps its own lines in order (as a recording does); the conversations come last-first.
    const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    const byConversation = new Map<string, string[]>();
    for (const line of lines) {
      const id = (JSON.parse(line) as { conversation: string }).conversation;
      byConversation.set(id, [...(byConversation.get(id) ?? []), line]);
    }
    const reversed = [...byConversation.values()].reverse().flat();
    expect(reversed).not.toEqual(lines);
    writeFileSync(join(reordered, 'events.jsonl'), reversed.join('\n') + '\n');

    const fit = async (dir: string) => (await calibrate({ runDirs: [dir], id: 'order', seed: 2, bootstrap: 4 })).profile;
    const [original, shuffled] = [await fit(runDir), await fit(reordered)];
    const withoutRun = (p: typeof original) => ({ ...p, provenance: { ...p.provenance, calibratedFrom: null } });
    expect(withoutRun(shuffled)).toEqual(withoutRun(original));
  }, 120_000);
});
