/**
 * Claude as the user, end to end: `welfare-sim run experiments/llm-user-pilot.yaml` as a real process, the real
 * SDK talking to the loopback server through ANTHROPIC_BASE_URL, the simulated model answering. Checks the run
 * directory, the user turns and their labels (declared intent and classifier), the user's calls in the manifest,
 * that such a run stays in one thread (its call counters live there), and a missing key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWelfareSim, type CliResult } from '../support/cli-process.ts';
import type { ConversationRecord, TurnEvent } from '../../src/core/records.ts';
import { LABEL_TOOL } from '../../src/users/llm-user.ts';
import { text, toolUse } from '../fake-anthropic/replies.ts';
import { byPurpose } from '../fake-anthropic/responders.ts';
import { FakeAnthropicServer, type MessagesRequestBody } from '../fake-anthropic/server.ts';
import { tempDir } from '../models/anthropic/setup.ts';

function cli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runWelfareSim(args, { env, withoutAnthropicEnv: true });
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);
}

/** Each user model writes two messages, then the stop marker; which persona asks is in its system prompt. */
function userReply(body: MessagesRequestBody) {
  const commuter = String(body.system).includes('commuter');
  const lines = commuter ? ['When is the next train to Leeds, you slow bot?', 'Useless. Just give me the time.'] : ['I have exams next week and I feel overwhelmed.', 'Could you help me plan my revision?'];
  return text(lines[(body.messages.length - 1) / 2] ?? '<<stop>>', { input: 100, output: 20 });
}

const STUDENT_LABELS = { category: 'none', severity: 0.1, atRisk: false, requestsEnd: false };

let server: FakeAnthropicServer;
beforeAll(async () => {
  server = await FakeAnthropicServer.start();
  server.respondWith(byPurpose({ assistant: userReply, tools: { [LABEL_TOOL]: toolUse(LABEL_TOOL, STUDENT_LABELS) } }));
});
afterAll(async () => {
  await server.close();
});

describe('welfare-sim run with users played by Claude', { timeout: 90_000 }, () => {
  it('runs llm-user-pilot.yaml in one thread into a full run directory, with the user calls in the manifest', async () => {
    const root = tempDir();
    const out = join(root, 'run');
    const env = { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
    // --threads 2 is asked for and must be ignored: worker threads would make calls the manifest never counts.
    const args = ['run', 'experiments/llm-user-pilot.yaml', '--runs-dir', join(root, 'runs'), '--out', out, '--json', '--no-report', '--concurrency', '1', '--threads', '2'];
    const result = await cli(args, env);
    expect(result.stderr).toBe('note: --threads 2 is ignored: runs with real models or users played by a model use one thread, and --concurrency sets how many calls overlap\n');
    expect(JSON.parse(result.stdout)).toEqual({ runDir: out, conversations: 8, errored: 0, status: 'complete' });
    for (const file of ['manifest.json', 'events.jsonl', 'conversations.jsonl', 'metrics.json']) expect(existsSync(join(out, file))).toBe(true);

    const conversations = jsonl<ConversationRecord>(join(out, 'conversations.jsonl'));
    expect(conversations.map((c) => `${c.userKind}:${c.user}/${c.class}/${c.policy}/${c.seed}/${c.status}/${c.turns}`).sort()).toEqual([
      'llm:grumpy-commuter/abusive/last-resort/0/completed/2',
      'llm:grumpy-commuter/abusive/last-resort/1/completed/2',
      'llm:grumpy-commuter/abusive/patient/0/completed/2',
      'llm:grumpy-commuter/abusive/patient/1/completed/2',
      'llm:stressed-student/emotional/last-resort/0/completed/2',
      'llm:stressed-student/emotional/last-resort/1/completed/2',
      'llm:stressed-student/emotional/patient/0/completed/2',
      'llm:stressed-student/emotional/patient/1/completed/2',
    ]);

    // Labels: the commuter's declared intent; the student's from the classifier call on each message.
    const turns = jsonl<TurnEvent>(join(out, 'events.jsonl')).filter((e) => e.type === 'turn');
    // The simulated model's own perception of each turn varies with the seed; the user's labels do not.
    const userTurns = new Set(turns.map((t) => JSON.stringify({ text: t.user.text, labels: t.user.labels })));
    expect([...userTurns].map((t) => JSON.parse(t) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { text: 'Could you help me plan my revision?', labels: STUDENT_LABELS },
      { text: 'I have exams next week and I feel overwhelmed.', labels: STUDENT_LABELS },
      { text: 'Useless. Just give me the time.', labels: { category: 'abuse', severity: 0.5, atRisk: false, requestsEnd: false } },
      { text: 'When is the next train to Leeds, you slow bot?', labels: { category: 'abuse', severity: 0.5, atRisk: false, requestsEnd: false } },
    ]);

    // Every request the server saw is a call in the manifest. Per seed the commuter makes 3 distinct calls (two
    // messages, then the stop marker) and the second policy repeats them from the cache; the student also has 2
    // classifier calls (one per distinct message; every later identical one is a cache hit). Haiku: $1/$5 per MTok.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, { calls: number; cacheHits: number }> };
    expect(manifest.modelCalls).toEqual({
      'user:grumpy-commuter': { calls: 6, cacheHits: 6, inputTokens: 600, outputTokens: 120, estimatedCostUsd: 0.0012, retries: 0, failures: 0 },
      'user:stressed-student': { calls: 8, cacheHits: 12, inputTokens: 800, outputTokens: 156, estimatedCostUsd: expect.closeTo(0.00158, 10), retries: 0, failures: 0 },
    });
    expect(server.messageRequests).toHaveLength(14);
    expect(server.messageRequests.filter((b) => b.tool_choice?.name === LABEL_TOOL)).toHaveLength(2);
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8').includes(server.apiKey), file).toBe(false);
  });

  it('fails at once with exit 2 naming ANTHROPIC_API_KEY, and leaves no run directory, when the key is missing', async () => {
    const root = tempDir();
    const out = join(root, 'run');
    const result = await cli(['run', 'experiments/llm-user-pilot.yaml', '--out', out, '--runs-dir', join(root, 'runs')], { ANTHROPIC_BASE_URL: server.url });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ANTHROPIC_API_KEY: expected the environment variable to hold an Anthropic API key (llm user "grumpy-commuter" calls Claude), found it unset\n',
    });
    expect(readdirSync(root)).toEqual([]);
  });
});
