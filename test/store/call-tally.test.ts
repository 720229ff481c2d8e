/** model-calls.jsonl: the run's totals are each process's last line, summed; a line torn by a kill is skipped. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCallTally } from '../../src/store/call-tally.ts';
import { tempDir } from '../support/run-fixture.ts';

const stats = (calls: number) => ({ calls, cacheHits: 0, inputTokens: calls * 10, outputTokens: calls * 2, estimatedCostUsd: calls / 100 });
const line = (process: string, calls: number) => JSON.stringify({ v: 1, process, modelCalls: { claude: stats(calls) } });

describe('readCallTally', () => {
  it('sums the last line of each process, skipping a line a kill tore (the next process appended after it)', () => {
    const dir = tempDir();
    const torn = line('p1', 3).slice(0, 25);
    writeFileSync(join(dir, 'model-calls.jsonl'), `${line('p1', 1)}\n${line('p1', 2)}\n${torn}${line('p2', 4)}\n${line('p2', 5)}\n${line('p3', 1).slice(0, 30)}`);
    // p1's last whole line says 2 calls; p2's says 5; p3's only line was torn: 2 + 5 = 7.
    expect(readCallTally(dir)).toEqual({ claude: { calls: 7, cacheHits: 0, inputTokens: 70, outputTokens: 14, estimatedCostUsd: 0.07 } });
  });

  it('refuses a whole line of another shape, naming file, line and field', () => {
    const dir = tempDir();
    const path = join(dir, 'model-calls.jsonl');
    writeFileSync(path, `${line('p1', 1)}\n${JSON.stringify({ v: 1, process: 'p2', modelCalls: { claude: { ...stats(1), calls: 'many' } } })}\n`);
    expect(() => readCallTally(dir)).toThrow(`${path}: line 2: modelCalls.claude.calls: expected an integer of at least 0, found "many"`);
  });

  it('is null for a run without paid calls', () => {
    expect(readCallTally(tempDir())).toBeNull();
  });
});
