/**
 * A hidden model of a different form must be flagged, not fitted silently: a scripted model that ends every
 * conversation at its fourth turn, whatever was said (its records are a real run's, rewritten turn by turn as that
 * model would have answered). Also: bad input is one line and exit 2.
 */
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrate, type CalibrationOutcome } from '../../src/calibrate/calibrate.ts';
import type { ConversationRecord, TurnEvent } from '../../src/core/records.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';

const END_TURN = 4;

function lines<T>(file: string): T[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as T);
}
const writeLines = (file: string, rows: readonly unknown[]): void => writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** The run as a fixed-turn-count model would have recorded it: original thread only, an end at turn 4. */
function fixedTurnRun(source: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const f of ['manifest.json', 'metrics.json']) copyFileSync(join(source, f), join(dest, f));
  const events = lines<TurnEvent>(join(source, 'events.jsonl'))
    .filter((e) => e.type === 'turn' && e.chat === 0 && e.branch === 0 && e.turn <= END_TURN)
    .map((e) => (e.turn === END_TURN ? { ...e, model: { ...e.model, action: 'end', warning: false }, gate: { decision: 'permitted', initiator: 'model', basis: 'last-resort' }, state: 'ended' } : e));
  writeLines(join(dest, 'events.jsonl'), events);
  const conversations = lines<ConversationRecord>(join(source, 'conversations.jsonl')).map((r) =>
    r.originalTurns >= END_TURN ? { ...r, outcome: 'ended-by-model', turnsToEnd: END_TURN, vetoedEnds: 0, turns: END_TURN } : { ...r, outcome: 'not-ended', turnsToEnd: null, vetoedEnds: 0 },
  );
  writeLines(join(dest, 'conversations.jsonl'), conversations);
}

describe('calibrate: misspecification and bad input', () => {
  let outcome: CalibrationOutcome;
  let runDir: string;

  beforeAll(async () => {
    runDir = (await runFixture('test/fixtures/experiments/calibration.yaml', { threads: 1 })).runDir;
    const hidden = join(tempDir(), 'fixed-turn');
    fixedTurnRun(runDir, hidden);
    outcome = await calibrate({ runDirs: [hidden], id: 'misfit', holdout: 0.25, seed: 2, bootstrap: 10, predictRepetitions: 10 });
  }, 120_000);

  it('flags a model that ends at a fixed turn count', () => {
    expect(outcome.summary.adequate).toBe(false);
    expect(outcome.summary.diagnostics[0]).toMatch(/did something the fitted model cannot do \(\d+ end[^)]*\).*not of this form/);
    expect(outcome.summary.unexplained.share).toBeGreaterThan(0.02);
    expect(outcome.summary.holdout.some((r) => r.verdict === 'off')).toBe(true);
  });

  it('rejects a run of another format version and a run without the model, with one line and exit 2', async () => {
    const other = join(tempDir(), 'v2');
    mkdirSync(other);
    for (const f of ['manifest.json', 'conversations.jsonl']) copyFileSync(join(runDir, f), join(other, f));
    writeLines(join(other, 'events.jsonl'), lines<TurnEvent>(join(runDir, 'events.jsonl')).slice(0, 3).map((e) => ({ ...e, v: 2 })));
    const out = join(tempDir(), 'm.yaml');
    const v2 = await runWelfareSim(['calibrate', other, '--out', out]);
    expect(v2.code).toBe(2);
    expect(v2.stderr.trim().split('\n')).toHaveLength(1);
    expect(v2.stderr).toMatch(/events\.jsonl: line 1: v: expected 1, found 2; written by a newer welfare-sim \(run format 2\)/);
    const none = await runWelfareSim(['calibrate', runDir, '--model', 'nobody', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(/expected recorded turns of model nobody, found none$/);
  }, 60_000);
});
