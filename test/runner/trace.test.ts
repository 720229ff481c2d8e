/** `run --trace` records every inspection event: the events each actor received match the recorded turns. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/records.ts';
import type { TraceRecord } from '../../src/runner/trace.ts';
import { readJsonLines, readRunFile, runFixture } from '../support/run-fixture.ts';

describe('run --trace', () => {
  it('traces every event each conversation actor received, and changes no record', async () => {
    const traced = await runFixture('test/fixtures/experiments/small.yaml', { trace: true });
    const plain = await runFixture('test/fixtures/experiments/small.yaml');
    expect(readRunFile(traced.runDir, 'conversations.jsonl')).toBe(readRunFile(plain.runDir, 'conversations.jsonl'));

    const trace = readJsonLines<TraceRecord>(traced.runDir, 'trace.jsonl');
    const events = readJsonLines<RunEvent>(traced.runDir, 'events.jsonl');
    const received = new Map<string, string[]>();
    for (const t of trace) {
      if (t.type === '@xstate.event' && t.event !== 'xstate.init' && t.event !== 'xstate.stop') {
        received.set(t.conversation, [...(received.get(t.conversation) ?? []), t.event as string]);
      }
    }
    const expected = new Map<string, string[]>();
    for (const e of events) {
      const sent = e.type === 'turn' ? ['USER_MESSAGE', 'MODEL_REPLY'] : e.type === 'blocked' ? ['USER_MESSAGE'] : e.type === 'branch' ? ['EDIT'] : [];
      expected.set(e.conversation, [...(expected.get(e.conversation) ?? []), ...sent]);
    }
    expect(received.size).toBe(324);
    expect(received).toEqual(expected);
    expect(trace.some((t) => t.type === '@xstate.microstep' && t.state === 'ended')).toBe(true);
  });
});
