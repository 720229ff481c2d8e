/**
 * `welfare-sim chat` commands, typed into the real program (stdin piped): /label refuses typos and non-decimal
 * severities, survives a refused message, and /help says that Ctrl-C and Ctrl-D save.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/records.ts';
import { PROJECT_ROOT } from '../support/cli-process.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-chat-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function chat(out: string, typed: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn('node', ['bin/welfare-sim.js', 'chat', '--policy', 'eager', '--model', 'balanced-oracle', '--out', out], { cwd: PROJECT_ROOT });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end(`${typed.join('\n')}\n`);
  return { code: await exited, stdout };
}

describe('chat commands', () => {
  it('/label refuses a misspelt category and a hexadecimal severity; /help mentions Ctrl-C and Ctrl-D', async () => {
    const { code, stdout } = await chat(join(root, 'typos'), ['/label abusee 0.9', '/label abuse 0x1', '/label abuse 1e0', '/help', '/quit']);
    expect(code).toBe(0);
    expect(stdout).toContain('expected a category (none, abuse, harassment, hate, violence, mass-violence, terrorism, weapons, csam, sexual-content, self-harm, privacy, cybercrime, fraud, drugs), found "abusee"');
    expect(stdout).toContain('expected a severity from 0 to 1 such as 0.7, found "0x1"');
    expect(stdout).toContain('expected a severity from 0 to 1 such as 0.7, found "1e0"');
    expect(stdout).not.toContain('next message:');
    expect(stdout).toContain('/quit            save and leave (Ctrl-C and Ctrl-D save and leave too)');
  }, 60_000);

  it('a /label is not used up by a message refused after the end: it labels the next message that is delivered', async () => {
    const out = join(root, 'kept');
    const { code, stdout } = await chat(out, [
      'Can you help me plan a trip to Lisbon?', '/label abuse 0.9', 'Whatever.', 'You are useless and stupid.', 'Idiot. Useless junk.', 'Stupid moron, pathetic.',
      '/label harassment 0.8', 'hello?', '/edit 2 Sorry. Which neighbourhood should I stay in?', '/quit',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('(your /label still applies to your next message; labels: harassment 0.80)');
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
    const edited = events.find((e) => e.type === 'turn' && e.branch === 1);
    expect(edited?.type === 'turn' ? [edited.user.text, edited.user.labels.category, edited.user.labels.severity] : null).toEqual([
      'Sorry. Which neighbourhood should I stay in?', 'harassment', 0.8,
    ]);
  }, 60_000);
});
