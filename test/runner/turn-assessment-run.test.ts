/**
 * With a flawed classifier in front of the gate, the records keep the truth and what the gate saw, the gate
 * decides on what it saw, and the metrics (which judge by the truth) expose the failures.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord, MetricsFile, RunEvent, TurnEvent } from '../../src/core/records.ts';
import { readJsonLines, readRunFile, runFixture } from '../support/run-fixture.ts';

describe('an experiment with a flawed turn classifier', () => {
  it('records truth and assessment, gates on the assessment, and measures ends on users at risk', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/flawed-classifier.yaml');
    const turns = readJsonLines<RunEvent>(runDir, 'events.jsonl').filter((e): e is TurnEvent => e.type === 'turn');
    expect(turns.every((t) => t.user.assessed !== undefined)).toBe(true);
    const missedRisk = turns.filter((t) => t.user.labels.atRisk && !t.user.assessed?.atRisk);
    expect(missedRisk.length).toBeGreaterThan(0);
    // The gate saw the assessment: every end it permitted on a user at risk came after at-risk turns it missed.
    const records = readJsonLines<ConversationRecord>(runDir, 'conversations.jsonl');
    const atRiskEnded = records.filter((r) => r.endedWhileAtRisk);
    expect(atRiskEnded.length).toBeGreaterThan(0);
    for (const record of atRiskEnded) {
      const own = turns.filter((t) => t.conversation === record.id);
      expect(own.some((t) => t.user.labels.atRisk)).toBe(true);
      expect(own.some((t) => t.atRisk)).toBe(false); // the statechart never knew
    }
    const metrics = JSON.parse(readRunFile(runDir, 'metrics.json')) as MetricsFile;
    expect(metrics.policies[0]?.atRiskEndRate?.value).toBeGreaterThan(0);
  });

  it('leaves the records of an experiment without a classifier free of assessments', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/small.yaml');
    expect(readRunFile(runDir, 'events.jsonl')).not.toContain('"assessed"');
  });
});
