/**
 * Runs the loopback Messages API on its own, answering as the scripted Claude fixture, for trying a run by hand
 * and for the live benchmark (in its own process, like the real API):
 *
 *   npx tsx test/fake-anthropic/serve.ts [--latency 200]
 *
 * Prints one JSON line `{"url", "apiKey"}`; set ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY from it. GET
 * /_fake/messages answers how many Messages requests arrived and how many distinct bodies they had.
 */
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { scriptedClaude } from './scripted-claude.ts';
import { FakeAnthropicServer } from './server.ts';

const latencyAt = process.argv.indexOf('--latency');
const latencyMs = latencyAt >= 0 ? Number(process.argv[latencyAt + 1]) : 0;
const server = await FakeAnthropicServer.start({ latencyMs });
server.respondWith(scriptedClaude());
server.route('GET', '/_fake/messages', () => {
  const bodies = server.messageRequests;
  return { kind: 'raw', status: 200, body: { count: bodies.length, distinct: new Set(bodies.map((b) => canonicalJson(b))).size } };
});
process.stdout.write(JSON.stringify({ url: server.url, apiKey: server.apiKey }) + '\n');
const stop = (): void => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
