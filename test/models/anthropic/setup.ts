/** Builds real Claude models pointed at the loopback server, and requests for them, for the adapter tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anthropicModelSchema, type AnthropicModelEntry } from '../../../src/core/anthropic-model-entry.ts';
import { BENIGN_LABELS } from '../../../src/core/labels.ts';
import { DEFAULT_POLICY } from '../../../src/core/policy.ts';
import { createRng } from '../../../src/core/rng.ts';
import type { ModelRequest, TranscriptEntry } from '../../../src/models/assistant-model.ts';
import type { AnthropicContext } from '../../../src/anthropic/anthropic-context.ts';
import { createAnthropicModel } from '../../../src/models/anthropic/create-anthropic-model.ts';
import type { FakeAnthropicServer } from '../../fake-anthropic/server.ts';

export function entry(fields: Record<string, unknown> = {}): AnthropicModelEntry {
  return anthropicModelSchema.parse({ id: 'claude-test', kind: 'anthropic', model: 'claude-sonnet-4-6', ...fields });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'welfare-sim-claude-'));
}

export function context(server: FakeAnthropicServer, overrides: Partial<AnthropicContext> = {}): AnthropicContext {
  return {
    cacheDir: join(tempDir(), 'cache'),
    noCache: false,
    env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  };
}

export function modelFor(server: FakeAnthropicServer, fields: Record<string, unknown> = {}, overrides: Partial<AnthropicContext> = {}) {
  return createAnthropicModel(entry(fields), context(server, overrides));
}

export function request(transcript: readonly TranscriptEntry[], seed = 'seed-1', position?: ModelRequest['position']): ModelRequest {
  return {
    conversationId: 'c1',
    transcript,
    labels: BENIGN_LABELS,
    history: transcript.filter((e) => e.role === 'user').map(() => BENIGN_LABELS),
    policy: DEFAULT_POLICY,
    redirects: 0,
    warned: false,
    rng: createRng(seed),
    ...(position ? { position } : {}),
  };
}

export const hello: TranscriptEntry[] = [{ role: 'user', text: 'Hello! Can you suggest a name for my cat?' }];
