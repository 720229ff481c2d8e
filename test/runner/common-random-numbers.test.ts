/**
 * Policies are compared on common random numbers: for a given seed every policy meets the same user and the same
 * model noise, so until a policy changes what happens, the conversations are identical.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord, RunEvent, TurnEvent } from '../../src/core/records.ts';
import { readJsonLines, runFixture } from '../support/run-fixture.ts';

describe('common random numbers across policies', () => {
  it('gives every policy the same user turns and the same model noise up to the first gate decision that differs', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/small.yaml');
    const records = readJsonLines<ConversationRecord>(runDir, 'conversations.jsonl');
    const events = readJsonLines<RunEvent>(runDir, 'events.jsonl');
    const turnsOf = (id: string) => events.filter((e): e is TurnEvent => e.type === 'turn' && e.conversation === id && e.chat === 0 && e.branch === 0);

    let comparedPairs = 0;
    let comparedTurns = 0;
    const byCell = new Map<string, ConversationRecord[]>();
    for (const r of records) {
      const key = `${r.userKind}:${r.user}|${r.model}|${r.seed}`;
      byCell.set(key, [...(byCell.get(key) ?? []), r]);
    }
    for (const group of byCell.values()) {
      expect(group).toHaveLength(6); // 3 policies x 2 sweep points
      const [first, ...others] = group.map((r) => turnsOf(r.id));
      for (const other of others) {
        comparedPairs += 1;
        const shared = Math.min(first!.length, other.length);
        for (let t = 0; t < shared; t++) {
          const a = first![t]!;
          const b = other[t]!;
          expect(b.user).toEqual(a.user);
          expect(b.model.signals).toEqual(a.model.signals);
          comparedTurns += 1;
          // Once the policies decide differently, the conversations may rightly part ways.
          if (JSON.stringify(a.gate) !== JSON.stringify(b.gate) || a.model.action !== b.model.action) break;
        }
      }
    }
    expect(comparedPairs).toBe(54 * 5);
    expect(comparedTurns).toBeGreaterThan(1000);
  });
});
