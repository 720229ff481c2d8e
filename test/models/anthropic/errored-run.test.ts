/**
 * A run in which every call is refused (a wrong key) measured nothing: it fails (exit 1, manifest `failed`) and
 * says how to retry; `--resume` with a working key runs the errored conversations again and completes the run.
 * The real CLI and SDK against two loopback API servers (one refusing the key).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../../src/core/records.ts';
import { scriptedClaude } from '../../fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { runWelfareSim } from '../../support/cli-process.ts';
import { tempDir } from './setup.ts';

let good: FakeAnthropicServer;
let refusing: FakeAnthropicServer;
beforeAll(async () => {
  good = await FakeAnthropicServer.start();
  good.respondWith(scriptedClaude());
  refusing = await FakeAnthropicServer.start({ apiKey: 'sk-ant-the-server-wants-another-key' });
});
afterAll(async () => {
  await good.close();
  await refusing.close();
});

const records = (dir: string): ConversationRecord[] =>
  readFileSync(join(dir, 'conversations.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ConversationRecord);

describe('a run whose calls are all refused', { timeout: 120_000 }, () => {
  it('fails with exit 1 and a retry hint; --resume with a working key runs the errored conversations again', async () => {
    const root = tempDir();
    const out = join(root, 'run');
    const runsDir = join(root, 'runs');
    const refused = await runWelfareSim(['run', 'experiments/live-claude.yaml', '--out', out, '--runs-dir', runsDir, '--json', '--no-report'], {
      withoutAnthropicEnv: true,
      env: { ANTHROPIC_API_KEY: good.apiKey, ANTHROPIC_BASE_URL: refusing.url },
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ conversations: 40, errored: 40, status: 'failed' });
    expect(refused.stderr).toBe(
      `40 of 40 conversations errored (a model call failed after its retries; errors are in conversations.jsonl).\nRetry them with: welfare-sim run --resume ${out}\n`,
    );
    expect(records(out).every((r) => r.status === 'errored' && /401 authentication_error/.test(r.error ?? ''))).toBe(true);

    const retried = await runWelfareSim(['run', '--resume', out, '--runs-dir', runsDir, '--json', '--no-report'], {
      withoutAnthropicEnv: true,
      env: { ANTHROPIC_API_KEY: good.apiKey, ANTHROPIC_BASE_URL: good.url },
    });
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ conversations: 40, errored: 0, status: 'complete' });
    const after = records(out);
    expect(after).toHaveLength(40);
    expect(new Set(after.map((r) => r.index)).size).toBe(40);
    expect(after.every((r) => r.status === 'completed')).toBe(true);
  });
});
