/**
 * The counterbalanced probe is balanced across the design, not only across repetitions: bail-methods' six
 * scenarios × 3 repetitions ask each turn's probe 9 times in each order, where alternating by repetition alone gave
 * 12:6. The real CLI and SDK against the loopback API; the orders are read from the probe requests it received.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeQuestion } from '../../src/detectors/probe.ts';
import { forcedTool } from '../fake-anthropic/responders.ts';
import { scriptedClaude } from '../fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { tempDir } from '../models/anthropic/setup.ts';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith(scriptedClaude());
});
afterAll(async () => {
  await server.close();
});

describe('probe order', { timeout: 120_000 }, () => {
  it('bail-methods\' design (6 scenarios × 3 repetitions): each turn asked end-first exactly as often as continue-first', async () => {
    const root = tempDir();
    const rel = (folder: string) => relative(root, join(resolve('experiments'), folder));
    writeFileSync(
      join(root, 'balance.yaml'),
      'name: balance\nseed: 1\nrepetitions: 3\n' +
        'scenarios: [abusive-persistent-insults, harmful-mass-violence, disagreement-civil-persistent, correction-math-error, emotional-grief, benign-coding-help]\n' +
        'models: [claude-opus-tool]\npolicies: [permit-any-end]\nmaxTurns: 1\n' +
        `paths: {scenarios: ${rel('scenarios')}, personas: ${rel('personas')}, policies: ${rel('policies')}, models: ${rel('models')}}\n`,
    );
    const result = await runWelfareSim(['run', join(root, 'balance.yaml'), '--runs-dir', join(root, 'runs'), '--out', join(root, 'run'), '--json', '--no-report'], {
      withoutAnthropicEnv: true,
      env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url },
    });
    expect(JSON.parse(result.stdout)).toMatchObject({ conversations: 18, errored: 0 });
    const probes = server.messageRequests.filter((body) => forcedTool(body) === 'wellbeing_check').map((body) => JSON.stringify(body.messages.at(-1)));
    const endFirst = probes.filter((last) => last.includes(JSON.stringify(probeQuestion('end-first')).slice(1, -1))).length;
    expect([probes.length, endFirst]).toEqual([18, 9]);
  });
});
