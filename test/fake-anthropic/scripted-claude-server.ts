/**
 * The loopback API server playing the scripted Claude for a whole test file: started before its tests, closed after,
 * with the environment that points the real SDK at it.
 */
import { afterAll, beforeAll } from 'vitest';
import { scriptedClaude } from './scripted-claude.ts';
import { FakeAnthropicServer } from './server.ts';

export interface ScriptedClaudeServer {
  readonly server: FakeAnthropicServer;
  /** ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL for the server. */
  readonly env: Record<string, string>;
}

/** Call at the top level of a test file; read the fields inside tests (they are set once the server has started). */
export function scriptedClaudeServer(): ScriptedClaudeServer {
  let server: FakeAnthropicServer | undefined;
  beforeAll(async () => {
    server = await FakeAnthropicServer.start();
    server.respondWith(scriptedClaude());
  });
  afterAll(async () => {
    await server?.close();
  });
  const started = (): FakeAnthropicServer => {
    if (server === undefined) throw new Error('the scripted Claude server is read before it started');
    return server;
  };
  return {
    get server() {
      return started();
    },
    get env() {
      return { ANTHROPIC_API_KEY: started().apiKey, ANTHROPIC_BASE_URL: started().url };
    },
  };
}
