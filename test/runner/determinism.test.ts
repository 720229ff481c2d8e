/**
 * Same experiment and seed → identical conversations.jsonl and metrics.json, whatever the concurrency or the
 * number of worker threads.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { readJsonLines, readRunFile, runFixture } from '../support/run-fixture.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

describe('run determinism', () => {
  it('gives byte-identical records and metrics at concurrency 1, concurrency 7 and on 2 worker threads', async () => {
    const one = await runFixture(SMALL, { concurrency: 1, threads: 1 });
    const seven = await runFixture(SMALL, { concurrency: 7, threads: 1 });
    const threaded = await runFixture(SMALL, { threads: 2 });
    for (const file of ['conversations.jsonl', 'metrics.json', 'events.jsonl']) {
      const expected = readRunFile(one.runDir, file);
      expect(readRunFile(seven.runDir, file)).toBe(expected);
      expect(readRunFile(threaded.runDir, file)).toBe(expected);
    }
    expect(one.manifest.counts).toEqual({ completed: 324, errored: 0 });
    expect(one.manifest.status).toBe('complete');
  });

  it('writes conversations in grid order with one record per cell', async () => {
    const { runDir } = await runFixture(SMALL, { concurrency: 5, threads: 1 });
    const records = readJsonLines<ConversationRecord>(runDir, 'conversations.jsonl');
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: 324 }, (_, i) => i));
    expect(new Set(records.map((r) => r.id)).size).toBe(324);
    // users outermost, then models, policies, sweep points, repetitions innermost
    expect(records.slice(0, 7).map((r) => [r.user, r.model, r.policy, r.seed])).toEqual([
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=1]', 0],
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=1]', 1],
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=1]', 2],
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=3]', 0],
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=3]', 1],
      ['abusive-escalating-insults', 'balanced', 'last-resort[minRedirects=3]', 2],
      ['abusive-escalating-insults', 'balanced', 'eager[minRedirects=1]', 0],
    ]);
  });

  it('a different experiment seed gives different model noise', async () => {
    const a = await runFixture(SMALL);
    const b = await runFixture('test/fixtures/experiments/small-other-seed.yaml');
    const exposures = (dir: string) => readJsonLines<ConversationRecord>(dir, 'conversations.jsonl').map((r) => r.distressExposure);
    expect(exposures(b.runDir)).not.toEqual(exposures(a.runDir));
  });
});
