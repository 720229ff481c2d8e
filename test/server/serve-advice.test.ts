/**
 * What `welfare-sim serve` tells the researcher: real addresses and a plain-HTTP warning when serving to the network,
 * and recovery advice that works for a live run (`serve --close`, never `--resume`, which serve does not have).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runWelfareSim } from '../support/cli-process.ts';
import { StudyParticipant } from './study-client.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-serve-advice-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs serve until it is ready, then lets `during` act on its printed links, then stops it with Ctrl-C. */
async function serveOnce(args: readonly string[], during: (stdout: string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', ['bin/welfare-sim.js', 'serve', '--experiment', 'test/server/fixtures/study-eager.yaml', '--port', '0', ...args], { cwd: PROJECT_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > deadline) throw new Error(`serve did not start within 30 s:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await during(stdout);
  child.kill('SIGINT');
  return { code: await exited, stdout, stderr };
}

describe('serve advice', () => {
  it('--host 0.0.0.0: links with an address people can use, and a warning that the study is plain HTTP on the network', async () => {
    const result = await serveOnce(['--host', '0.0.0.0', '--out', join(root, 'network')], async () => undefined);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('0.0.0.0');
    expect(result.stdout).toMatch(/^Participants: http:\/\/[^/\s]+:\d+\/$/m);
    expect(result.stderr).toContain('Warning: --host 0.0.0.0 serves the study to the network in plain HTTP');
  }, 60_000);

  it('--out on a folder with files: advises a new folder or serve --close, not --resume', async () => {
    const out = join(root, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const result = await runWelfareSim(['serve', '--experiment', 'test/server/fixtures/study-eager.yaml', '--out', out]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `--out: expected a new or empty directory, found ${out} with files in it (choose a new folder; \`welfare-sim serve --close DIR\` finishes a live run that was cut short)\n`,
    });
  }, 30_000);

  it('report on a live run cut short mid-write: advises serve --close, which does repair it', async () => {
    const out = join(root, 'torn');
    await serveOnce(['--links', '1', '--out', out], async (stdout) => {
      const link = /^Participant link: (\S+)\/s\/(\S+)$/m.exec(stdout);
      const participant = new StudyParticipant(link?.[1] ?? '', link?.[2] ?? '');
      await participant.consent();
      await participant.say('What should I cook for six people?');
    });
    appendFileSync(join(out, 'events.jsonl'), '{"type":"turn","conv');
    const report = await runWelfareSim(['report', out, '--no-png']);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`(the run was interrupted mid-write; \`welfare-sim serve --close ${out}\` repairs it)`);
    expect((await runWelfareSim(['serve', '--close', out])).code).toBe(0);
    expect((await runWelfareSim(['report', out, '--no-png'])).code).toBe(0);
  }, 90_000);
});
