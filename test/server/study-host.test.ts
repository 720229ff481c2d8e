import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { LiveRun } from '../../src/live/live-run.ts';
import { loadLiveParts } from '../../src/live/load-live-parts.ts';
import type { AssistantModel } from '../../src/models/assistant-model.ts';
import { createAssistantModel } from '../../src/models/create-model.ts';
import { createStudyApp } from '../../src/server/app.ts';
import { loadStudy } from '../../src/server/load-study.ts';
import { StudyHost } from '../../src/server/study-host.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-study-host-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const records = (dir: string) => readFileSync(join(dir, 'conversations.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ConversationRecord);

/** A study whose model answers through `wrap` (to slow it down or make it fail). */
function hostWith(name: string, wrap: (model: AssistantModel) => AssistantModel): StudyHost {
  const { study, policy } = loadStudy(join(import.meta.dirname, 'fixtures/study-eager.yaml'));
  const parts = loadLiveParts({ policy: 'eager', model: 'balanced', experimentsDir: join(import.meta.dirname, '../../experiments') });
  const model = wrap(createAssistantModel(parts.model, { cacheDir: join(root, 'cache'), noCache: true, env: {}, experimentFile: '(test)' }));
  const run = new LiveRun({ runsDir: root, out: join(root, name), experiment: 'study-eager', experimentFile: '(test)', seed: 7, config: {}, now: () => new Date('2026-11-26T12:00:00Z') });
  return new StudyHost({ run, study, policy, model, modelId: 'balanced', seed: 7, maxMoves: 30, now: () => new Date('2026-11-26T12:00:00Z') });
}

const json = (text: string) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) });

describe('StudyHost', () => {
  it('finishing while a reply is still coming waits for it, so the record covers every turn', async () => {
    const host = hostWith('slow', (model) => ({
      id: model.id,
      respond: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return model.respond(request);
      },
    }));
    const participant = host.invite();
    const reply = host.consent(participant).conversation.send('Hello, are you there?');
    const record = await host.finish(participant);
    expect((await reply).events).toHaveLength(1);
    expect(record).toMatchObject({ turns: 1, status: 'completed' });
    expect(await host.finish(participant)).toBeNull();
    await host.close();
  });

  it('a model that fails answers the participant 502 and records the conversation as errored', async () => {
    const host = hostWith('failing', (model) => ({
      id: model.id,
      respond: async (request) => {
        if (request.history.length === 2) throw new Error('upstream timed out');
        return model.respond(request);
      },
    }));
    const app = createStudyApp(host);
    const { token } = host.invite();
    await app.request(`/api/s/${token}/consent`, { method: 'POST' });
    expect((await app.request(`/api/s/${token}/message`, json('Hello'))).status).toBe(200);
    const failed = await app.request(`/api/s/${token}/message`, json('Still there?'));
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ error: 'the assistant could not answer, so the conversation has ended; thank you for taking part' });
    const dir = await host.close();
    expect(records(dir).map((r) => [r.status, r.error, r.turns])).toEqual([['errored', 'Error: upstream timed out', 1]]);
  });
});
