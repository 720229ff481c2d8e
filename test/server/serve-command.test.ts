/** `welfare-sim serve` as a process: printed links, a turn recorded, Ctrl-C (SIGINT) closes the run cleanly. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { PROJECT_ROOT, runWelfareSim } from '../support/cli-process.ts';
import { waitUntil } from '../support/wait-until.ts';
import { StudyParticipant } from './study-client.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-serve-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('welfare-sim serve', () => {
  it('prints the participant, link and researcher addresses, records turns, and closes the run on Ctrl-C', async () => {
    const out = join(root, 'run');
    const child = spawn('node', ['bin/welfare-sim.js', 'serve', '--experiment', 'test/server/fixtures/study-eager.yaml', '--port', '0', '--links', '1', '--out', out], { cwd: PROJECT_ROOT });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitUntil(() => stdout.includes('Press Ctrl-C to stop.'), 'serve to start');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`welfare-sim serve · Test study · recording to ${out}`);
    expect(lines[1]).toMatch(/^Participants: http:\/\/127\.0\.0\.1:\d+\/$/);
    const link = /^Participant link: (http:\/\/127\.0\.0\.1:\d+)\/s\/([A-Za-z0-9_-]{43})$/.exec(lines[2] ?? '');
    expect(lines[3]).toMatch(/^Researcher \(keep private\): http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{43}$/);
    const participant = new StudyParticipant(link?.[1] ?? '', link?.[2] ?? '');
    await participant.consent();
    expect((await participant.say('Hello there')).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain(`Stopped. Every conversation is recorded in ${out}\nSee them with: welfare-sim report ${out}\n`);
    const records = readFileSync(join(out, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord);
    expect(records.map((r) => [r.user, r.turns, r.outcome])).toEqual([['participant-1', 1, 'not-ended']]);
  }, 60_000);

  it('after a crash (SIGKILL) loses no turn: serve --close writes the records the events imply', async () => {
    const out = join(root, 'crashed');
    const child = spawn('node', ['bin/welfare-sim.js', 'serve', '--experiment', 'test/server/fixtures/study-eager.yaml', '--port', '0', '--links', '2', '--out', out], { cwd: PROJECT_ROOT });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitUntil(() => stdout.includes('Press Ctrl-C to stop.'), 'serve to start');
    const participants = [...stdout.matchAll(/^Participant link: (\S+)\/s\/(\S+)$/gm)].map((m) => new StudyParticipant(m[1] ?? '', m[2] ?? ''));
    for (const participant of participants) await participant.consent();
    await participants[0]?.say('Hello there');
    await participants[1]?.say('What should I cook tonight?');
    await participants[1]?.say('Please end this chat now.');
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(join(out, 'conversations.jsonl'), 'utf8')).toBe('');
    const closed = await runWelfareSim(['serve', '--close', out]);
    expect(closed).toEqual({ code: 0, stderr: '', stdout: `Closed ${out}: every conversation has its record; see them with: welfare-sim report ${out}\n` });
    const records = readFileSync(join(out, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord);
    expect(records.map((r) => [r.user, r.turns, r.outcome])).toEqual([['participant-1', 1, 'not-ended'], ['participant-2', 2, 'ended-by-user-request']]);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).status).toBe('complete');
  }, 60_000);

  it('rejects an experiment without a study section: one line, exit 2, no run directory', async () => {
    const out = join(root, 'never');
    const result = await runWelfareSim(['serve', '--experiment', 'test/server/fixtures/no-study.yaml', '--out', out]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'test/server/fixtures/no-study.yaml: study: expected a study section (consent, instructions, ...) for welfare-sim serve, found none\n',
    });
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});
