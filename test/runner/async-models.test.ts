/**
 * Models that answer asynchronously (as Claude does) and models that fail: the pool overlaps conversations,
 * records stay canonical, and a conversation that fails is recorded as errored with its cause — never dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load-experiment.ts';
import type { ConversationRecord, RunEvent } from '../../src/core/records.ts';
import { createRng } from '../../src/core/rng.ts';
import type { AssistantModel } from '../../src/models/assistant-model.ts';
import { executeRun } from '../../src/runner/execute-run.ts';
import { finalizeRun } from '../../src/runner/finalize-run.ts';
import { resolvedConfig } from '../../src/runner/run-experiment.ts';
import { silentProgress } from '../../src/runner/progress.ts';
import { createRunPlan, type RunPlan } from '../../src/runner/run-plan.ts';
import { readJsonLines, readRunFile, runFixture, tempDir } from '../support/run-fixture.ts';

const SMALL = 'test/fixtures/experiments/small.yaml';

/** The same plan with every model wrapped: replies arrive after a seeded random delay, some calls fail. */
function wrapModels(plan: RunPlan, wrap: (model: AssistantModel) => AssistantModel): RunPlan {
  return { ...plan, models: new Map([...plan.models].map(([id, model]) => [id, wrap(model)])) };
}

async function execute(plan: RunPlan, concurrency: number): Promise<string> {
  const runDir = tempDir();
  const indices = Array.from({ length: plan.size }, (_, i) => i);
  await executeRun({ plan, runDir, indices, alreadyDone: 0, concurrency, signal: new AbortController().signal, progress: silentProgress });
  await finalizeRun(runDir, 'small', resolvedConfig(plan.loaded));
  return runDir;
}

function basePlan(): Promise<RunPlan> {
  return createRunPlan(loadExperiment(SMALL), { cacheDir: tempDir(), noCache: true, env: {}, experimentFile: SMALL });
}

describe('asynchronous and failing models', () => {
  it('keeps conversations.jsonl and metrics.json canonical when replies arrive out of order', async () => {
    const jitter = createRng('jitter');
    const delayed = wrapModels(await basePlan(), (model) => ({
      id: model.id,
      vetoNotice: model.vetoNotice?.bind(model),
      ...(model.perceive ? { perceive: model.perceive.bind(model) } : {}),
      respond: (request) =>
        new Promise((resolve) => setTimeout(() => resolve(model.respond(request)), Math.floor(jitter.next() * 3))),
    }));
    const asyncDir = await execute(delayed, 16);
    const reference = await runFixture(SMALL);
    expect(readRunFile(asyncDir, 'conversations.jsonl')).toBe(readRunFile(reference.runDir, 'conversations.jsonl'));
    expect(readRunFile(asyncDir, 'metrics.json')).toBe(readRunFile(reference.runDir, 'metrics.json'));
    // events are whole per conversation, in completion order: the same lines, perhaps in another order
    const sortLines = (dir: string) => readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').sort();
    expect(sortLines(asyncDir)).toEqual(sortLines(reference.runDir));
  });

  it('records a conversation whose model fails as errored, with its cause and the turns before the failure', async () => {
    const failing = wrapModels(await basePlan(), (model) => ({
      id: model.id,
      respond: (request) => {
        if (request.conversationId.startsWith('0') || request.conversationId.startsWith('1')) {
          if (request.history.length === 3) throw new Error('overloaded_error: the API is overloaded (after 5 retries)');
        }
        return model.respond(request);
      },
    }));
    const dir = await execute(failing, 4);
    const records = readJsonLines<ConversationRecord>(dir, 'conversations.jsonl');
    expect(records).toHaveLength(324);
    // Exactly the conversations that reach a third user turn on some branch fail, at that turn.
    const reference = await runFixture(SMALL);
    const reachThirdTurn = new Set(
      readJsonLines<RunEvent>(reference.runDir, 'events.jsonl')
        .filter((e) => e.type === 'turn' && e.turn === 3 && /^[01]/.test(e.conversation))
        .map((e) => e.conversation),
    );
    const errored = records.filter((r) => r.status === 'errored');
    expect(reachThirdTurn.size).toBeGreaterThan(10);
    expect(errored.map((r) => r.id).sort()).toEqual([...reachThirdTurn].sort());
    for (const record of errored) {
      expect(record.error).toBe('Error: overloaded_error: the API is overloaded (after 5 retries)');
      expect(record.outcome).toBe('not-ended');
    }
    const metrics = JSON.parse(readRunFile(dir, 'metrics.json')) as { groups: { errored: number; conversations: number }[] };
    expect(metrics.groups.reduce((sum, g) => sum + g.errored, 0)).toBe(errored.length);
    expect(metrics.groups.reduce((sum, g) => sum + g.conversations, 0)).toBe(324);
  });
});
