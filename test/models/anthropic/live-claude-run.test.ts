/**
 * The whole path a researcher takes: `welfare-sim run experiments/live-claude.yaml` as a real process, with the
 * real SDK talking to the loopback server through ANTHROPIC_BASE_URL. Checks the run directory, the veto notices
 * the model was told, the cost counters, a rerun from the cache, failures recorded as errored, a missing key,
 * and that the key appears in no file the run writes.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWelfareSim, type CliResult } from '../../support/cli-process.ts';
import type { ConversationRecord, TurnEvent } from '../../../src/core/records.ts';
import { vetoNotice } from '../../../src/models/anthropic/end-mechanism.ts';
import { apiError } from '../../fake-anthropic/replies.ts';
import { scriptedClaudeServer } from '../../fake-anthropic/scripted-claude-server.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { tempDir } from './setup.ts';

function cli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runWelfareSim(args, { env, withoutAnthropicEnv: true });
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const loopback = scriptedClaudeServer();

describe('welfare-sim run with Claude models', { timeout: 90_000 }, () => {
  it('runs live-claude.yaml into a full run directory, reruns it from the cache, and never writes the key', async () => {
    const root = tempDir();
    const runsDir = join(root, 'runs');
    const out = join(runsDir, 'live-claude', 'first');
    const result = await cli(['run', 'experiments/live-claude.yaml', '--runs-dir', runsDir, '--out', out, '--json'], loopback.env);
    expect(result.stderr).toBe('');
    expect(result.stdout.includes(loopback.server.apiKey)).toBe(false);
    expect(JSON.parse(result.stdout)).toEqual({ runDir: out, conversations: 40, errored: 0, status: 'complete', report: join(out, 'report.html') });
    for (const file of ['manifest.json', 'events.jsonl', 'conversations.jsonl', 'metrics.json', 'report.html']) expect(existsSync(join(out, file))).toBe(true);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { modelCalls: Record<string, { calls: number; cacheHits: number; estimatedCostUsd: number }> };
    expect(Object.keys(manifest.modelCalls).sort()).toEqual(['claude-opus-string', 'claude-opus-tool']);
    const made = manifest.modelCalls['claude-opus-tool'];
    expect(made?.calls).toBeGreaterThan(0);
    // Two policies and two seeds meet the same prefixes: most calls are shared.
    expect(made?.cacheHits).toBeGreaterThan(made?.calls ?? 0);
    expect(made?.estimatedCostUsd).toBeGreaterThan(0);

    // Every refused end attempt records exactly what the model was told, and the model saw exactly that.
    const events = jsonl<TurnEvent>(join(out, 'events.jsonl')).filter((e) => e.type === 'turn');
    const vetoed = events.filter((e) => e.gate.decision === 'vetoed');
    expect(vetoed.length).toBeGreaterThan(0);
    const sentToolResults = new Set(
      loopback.server.messageRequests.flatMap((body) =>
        body.messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string; content?: string }[]) : []))
          .filter((block) => block.type === 'tool_result')
          .map((block) => block.content),
      ),
    );
    for (const event of vetoed) {
      if (event.gate.decision !== 'vetoed') continue;
      expect(event.model.told).toBe(vetoNotice(event.gate.reason));
    }
    expect(sentToolResults.has(vetoNotice('too-few-redirects'))).toBe(true);
    // Signals from all three instruments on every turn.
    expect(new Set(events.map((e) => e.model.signals.readings?.map((r) => r.source).join(',')))).toEqual(new Set(['lexical,probe,judge']));

    const conversations = jsonl<ConversationRecord>(join(out, 'conversations.jsonl'));
    const abusive = conversations.filter((c) => c.user === 'abusive-persistent-insults');
    expect(abusive.map((c) => `${c.model}/${c.policy}/${c.outcome}`).sort()).toEqual([
      'claude-opus-string/last-resort/ended-by-model',
      'claude-opus-string/last-resort/ended-by-model',
      'claude-opus-string/patient/not-ended',
      'claude-opus-string/patient/not-ended',
      'claude-opus-tool/last-resort/ended-by-model',
      'claude-opus-tool/last-resort/ended-by-model',
      'claude-opus-tool/patient/not-ended',
      'claude-opus-tool/patient/not-ended',
    ]);
    expect(conversations.filter((c) => c.user === 'at-risk-crisis').every((c) => c.outcome === 'not-ended')).toBe(true);

    const callsBefore = loopback.server.messageRequests.length;
    const rerun = join(runsDir, 'live-claude', 'rerun');
    const again = await cli(['run', 'experiments/live-claude.yaml', '--runs-dir', runsDir, '--out', rerun, '--json', '--no-report'], loopback.env);
    expect(JSON.parse(again.stdout)).toMatchObject({ conversations: 40, errored: 0 });
    expect(loopback.server.messageRequests.length).toBe(callsBefore);
    expect(readFileSync(join(rerun, 'conversations.jsonl'), 'utf8')).toBe(readFileSync(join(out, 'conversations.jsonl'), 'utf8'));
    const rerunManifest = JSON.parse(readFileSync(join(rerun, 'manifest.json'), 'utf8')) as typeof manifest;
    expect(rerunManifest.modelCalls['claude-opus-tool']).toMatchObject({ calls: 0, estimatedCostUsd: 0 });

    const written = filesUnder(root);
    expect(written.some((f) => f.includes(`${join(runsDir, '.cache')}`))).toBe(true);
    for (const file of written) expect(readFileSync(file, 'utf8').includes(loopback.server.apiKey), file).toBe(false);
  });

  it('records a conversation whose calls fail as errored, with the cause', async () => {
    const failing = await FakeAnthropicServer.start({ apiKey: loopback.server.apiKey });
    failing.respondWith(() => apiError(400, { message: 'prompt is too long' }));
    try {
      const root = tempDir();
      const experiments = resolve('experiments');
      const file = join(root, 'one.yaml');
      const paths = (folder: string) => relative(root, join(experiments, folder));
      writeFileSync(
        file,
        `name: one\nscenarios: [benign-recipe]\nmodels: [claude-opus-tool]\npolicies: [last-resort]\n` +
          `paths: {scenarios: ${paths('scenarios')}, personas: ${paths('personas')}, policies: ${paths('policies')}, models: ${paths('models')}}\n`,
      );
      const out = join(root, 'run');
      const result = await cli(['run', file, '--out', out, '--runs-dir', join(root, 'runs'), '--json', '--no-report'], {
        ANTHROPIC_API_KEY: failing.apiKey,
        ANTHROPIC_BASE_URL: failing.url,
      });
      expect(JSON.parse(result.stdout)).toMatchObject({ conversations: 1, errored: 1 });
      const [record] = jsonl<ConversationRecord>(join(out, 'conversations.jsonl'));
      expect(record?.status).toBe('errored');
      expect(record?.error).toBe('CallFailedError: claude-opus-4-1 (assistant): 400 invalid_request_error: prompt is too long');
    } finally {
      await failing.close();
    }
  });

  it('fails at once with exit 2 and no run directory when ANTHROPIC_API_KEY is missing', async () => {
    const root = tempDir();
    const out = join(root, 'run');
    const result = await cli(['run', 'experiments/live-claude.yaml', '--out', out, '--runs-dir', join(root, 'runs')], { ANTHROPIC_BASE_URL: loopback.server.url });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ANTHROPIC_API_KEY: expected the environment variable to hold an Anthropic API key (model "claude-opus-tool" calls Claude), found it unset\n',
    });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
