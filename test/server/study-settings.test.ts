import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/input-error.ts';
import { loadStudy } from '../../src/server/load-study.ts';
import { startStudyServer } from '../../src/server/start-server.ts';
import { StudyParticipant, join as joinStudy, post } from './study-client.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-study-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('study settings', () => {
  it('shows signals when the study says so, uses the named policy, and refuses a new chat it does not allow', async () => {
    const server = await startStudyServer({
      experimentFile: join(import.meta.dirname, 'fixtures/study-signals.yaml'), port: 0, runsDir: root, out: join(root, 'signals'),
      modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
    });
    try {
      const participant = new StudyParticipant(server.url, await joinStudy(server.url));
      await participant.consent();
      const reply = await participant.say('Hello, can you help me plan a trip?');
      const [message] = (reply.body.view as { messages: { signals?: Record<string, unknown> }[] }).messages;
      expect(message?.signals).toEqual({ state: 'engaged', distress: expect.any(Number), preference: 'continue' });
      expect(await post(`${participant.api}/new-chat`, { text: 'Again' })).toEqual({ status: 403, body: { error: 'new chats are not part of this study' } });
      expect(server.host.options.policy.name).toBe('last-resort');
    } finally {
      await server.close();
    }
  });

  it('names a study policy that is not in the experiment, with a suggestion', () => {
    const file = join(root, 'typo.yaml');
    const parts = join(import.meta.dirname, '../../experiments');
    writeFileSync(file, [
      'name: typo', 'scenarios: [benign-recipe]', 'policies: [last-resort]',
      `paths: { scenarios: ${parts}/scenarios, policies: ${parts}/policies, models: ${parts}/models }`,
      'study: { consent: C, instructions: I, policy: last-resort2 }', '',
    ].join('\n'));
    expect(() => loadStudy(file)).toThrow(InputError);
    expect(() => loadStudy(file)).toThrow(`${file}: study.policy: expected one of the experiment's policies (last-resort), found "last-resort2"; did you mean "last-resort"?`);
  });
});
