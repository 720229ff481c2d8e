import { scriptedClaude } from '/work/wt/calibrate/test/fake-anthropic/scripted-claude.ts';
import { FakeAnthropicServer } from '/work/wt/calibrate/test/fake-anthropic/server.ts';
import { execFileSync } from 'node:child_process';
const server = await FakeAnthropicServer.start();
server.respondWith(scriptedClaude());
const env = { ...process.env, ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url };
try {
  console.log(execFileSync('node', ['bin/welfare-sim.js', 'run', 'experiments/live-claude.yaml', '--runs-dir', '/tmp/calib/hc', '--out', '/tmp/calib/hc/run', '--no-report'], { env, cwd: '/work/wt/calibrate' }).toString());
} finally { await server.close(); }
