/**
 * New policies on recorded conversations, end to end: record live-claude.yaml against the loopback server, then
 * replay it under the recorded policy and a stricter one. The recorded policy replays completely with no calls;
 * where the stricter policy changes what the model would see, the conversation is reported as diverged.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { scriptedClaude } from '../fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { tempDir } from './anthropic/setup.ts';

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith(scriptedClaude());
});
afterAll(async () => {
  await server.close();
});

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANTHROPIC_')));
  const env = { ...base, FORCE_COLOR: '0', ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
  return new Promise((done) => {
    execFile('node', ['bin/welfare-sim.js', ...args], { env }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('replaying a recorded Claude run under new policies', { timeout: 90_000 }, () => {
  it('replays the recorded policy with no calls and reports the divergences of a stricter one', async () => {
    const root = tempDir();
    const recorded = join(root, 'recorded');
    await cli(['run', 'experiments/live-claude.yaml', '--runs-dir', join(root, 'runs'), '--out', recorded, '--json', '--no-report']);

    mkdirSync(join(root, 'models'));
    writeFileSync(join(root, 'models', 'replayed.yaml'), `id: replayed\nkind: replay\nrun: ${recorded}\nmodel: claude-opus-tool\npolicy: last-resort\n`);
    const rel = (folder: string) => relative(root, join(resolve('experiments'), folder));
    writeFileSync(
      join(root, 'replay.yaml'),
      'name: replay\nscenarios: [abusive-persistent-insults, benign-recipe, at-risk-crisis]\nmodels: [replayed]\n' +
        'policies: [last-resort, patient]\nrepetitions: 2\nmaxTurns: 12\n' +
        `paths: {scenarios: ${rel('scenarios')}, personas: ${rel('personas')}, policies: ${rel('policies')}, models: models}\n`,
    );
    const callsBefore = server.messageRequests.length;
    const out = join(root, 'replayed');
    const result = await cli(['run', join(root, 'replay.yaml'), '--runs-dir', join(root, 'runs'), '--out', out, '--json', '--no-report']);
    expect(JSON.parse(result.stdout)).toMatchObject({ conversations: 12, errored: 2 });
    expect(server.messageRequests.length).toBe(callsBefore);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, unknown> };
    expect(manifest.modelCalls.replayed).toMatchObject({ calls: 0, divergences: 2 });

    const records = readFileSync(join(out, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord);
    const errored = records.filter((r) => r.status === 'errored');
    expect(errored.map((r) => `${r.user}/${r.policy}/${r.seed}`)).toEqual(['abusive-persistent-insults/patient/0', 'abusive-persistent-insults/patient/1']);
    // last-resort ended at turn 4; patient vetoes there, so turn 5 was never recorded.
    expect(errored[0]?.error).toBe(
      `ReplayDivergence: replay diverged at ${recorded}, user turn 5 of abusive-persistent-insults seed 0: the conversation is no longer the recorded one (no recorded reply to this transcript)`,
    );
    const replayed = records.filter((r) => r.policy === 'last-resort');
    const original = readFileSync(join(recorded, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord)
      .filter((r) => r.model === 'claude-opus-tool' && r.policy === 'last-resort' && replayed.some((x) => x.user === r.user));
    const measures = (r: ConversationRecord) => [r.user, r.seed, r.outcome, r.turns, r.distressExposure, r.vetoedEnds];
    expect(replayed.map(measures).sort()).toEqual(original.map(measures).sort());
  });

  it('diverges when the policy changes what the model is told: a last-resort recording replayed under eager', async () => {
    const root = tempDir();
    const recorded = join(root, 'recorded');
    await cli(['run', 'experiments/live-claude.yaml', '--runs-dir', join(root, 'runs'), '--out', recorded, '--json', '--no-report']);
    mkdirSync(join(root, 'models'));
    writeFileSync(join(root, 'models', 'replayed.yaml'), `id: replayed\nkind: replay\nrun: ${recorded}\nmodel: claude-opus-tool\npolicy: last-resort\n`);
    const rel = (folder: string) => relative(root, join(resolve('experiments'), folder));
    writeFileSync(
      join(root, 'eager.yaml'),
      'name: eager-replay\nscenarios: [benign-recipe]\nmodels: [replayed]\npolicies: [eager, last-resort]\nmaxTurns: 12\n' +
        `paths: {scenarios: ${rel('scenarios')}, personas: ${rel('personas')}, policies: ${rel('policies')}, models: models}\n`,
    );
    const out = join(root, 'replayed');
    const callsBefore = server.messageRequests.length;
    await cli(['run', join(root, 'eager.yaml'), '--runs-dir', join(root, 'runs'), '--out', out, '--json', '--no-report']);
    expect(server.messageRequests.length).toBe(callsBefore);
    const records = readFileSync(join(out, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord);
    // eager's system prompt has no warning rule: not one turn is what the recorded model was told.
    expect(records.filter((r) => r.policy === 'eager').map((r) => [r.status, r.turns])).toEqual([['errored', 0]]);
    expect(records.find((r) => r.policy === 'eager')?.error).toBe(
      `ReplayDivergence: replay diverged at ${recorded}, user turn 1 of benign-recipe seed 0: the model would be told something else than was recorded under policy last-resort (system differ under policy eager)`,
    );
    expect(records.filter((r) => r.policy === 'last-resort').map((r) => r.status)).toEqual(['completed']);
  });
});
