/**
 * `welfare-sim compare --by class`: one row per class × policy × model, with who ended the conversations; the
 * counts agree with the run's own conversations.jsonl, counted here independently.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord, MetricsGroup } from '../../src/core/records.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { readJsonLines, runFixture } from '../support/run-fixture.ts';

describe('welfare-sim compare --by class', () => {
  it('prints one row per class and policy, with who ended them, as the records say', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/small.yaml');
    const records = readJsonLines<ConversationRecord>(runDir, 'conversations.jsonl');
    const text = await runWelfareSim(['compare', runDir, '--by', 'class']);
    expect(text.stderr).toBe('');
    const table = text.stdout.slice(text.stdout.indexOf('By class of user:'));
    const rows = table.split('\n').slice(4).filter((line) => /^[a-z-]+ {2,}\S/.test(line)).map((line) => line.split(/ {2,}/));
    const keys = new Set(records.map((r) => `${r.class}|${r.policy}|${r.model}`));
    expect(rows).toHaveLength(keys.size);
    for (const [cls, policy, model, n, , byModel, byPlatform, byUser] of rows) {
      const mine = records.filter((r) => r.class === cls && r.policy === policy && r.model === model && r.status === 'completed');
      const ended = (outcome: string): string => String(mine.filter((r) => r.outcome === outcome).length);
      expect([n, byModel, byPlatform, byUser], `${cls} ${policy} ${model}`).toEqual([String(mine.length), ended('ended-by-model'), ended('ended-by-platform'), ended('ended-by-user-request')]);
    }
    const json = await runWelfareSim(['compare', runDir, '--by', 'class', '--json']);
    const parsed = JSON.parse(json.stdout) as { runs: { classes: MetricsGroup[] }[] };
    expect(parsed.runs[0]?.classes).toHaveLength(keys.size);
    expect(await runWelfareSim(['compare', runDir, '--by', 'classes'])).toEqual({ code: 2, stdout: '', stderr: '--by: expected "class", found "classes"; did you mean "class"?\n' });
  }, 60_000);
});
