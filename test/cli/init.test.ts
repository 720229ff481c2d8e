/**
 * `welfare-sim init DIR`: a study folder outside the repository that validates and runs as written, using its own
 * policy and scenario beside the shipped ones; an existing folder with files is refused.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { studyName } from '../../src/cli/commands/init.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { readJsonLines, tempDir } from '../support/run-fixture.ts';

describe('welfare-sim init', () => {
  it('scaffolds a study that validates and runs, with its own parts and the shipped ones', async () => {
    const dir = join(tempDir(), 'Pilot Study');
    const init = await runWelfareSim(['init', dir]);
    expect(init.stderr).toBe('');
    expect(init.stdout.split('\n').filter((line) => line.startsWith('wrote ')).map((line) => line.slice(`wrote ${dir}/`.length))).toEqual([
      'study.yaml', 'policies/my-policy.yaml', 'scenarios/my-scenario.yaml', 'README.md',
    ]);
    expect(readFileSync(join(dir, 'study.yaml'), 'utf8')).toContain('name: pilot-study\n');
    expect(await runWelfareSim(['validate', 'study.yaml'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'ok study.yaml (experiment)\n', stderr: '' });
    const run = await runWelfareSim(['run', 'study.yaml', '--json', '--no-report'], { cwd: dir });
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as { runDir: string; conversations: number };
    // 6 scenarios + 2 personas, 1 model, 2 policies, 10 repetitions
    expect(summary.conversations).toBe(160);
    const records = readJsonLines<{ user: string; policy: string }>(join(dir, summary.runDir), 'conversations.jsonl');
    expect(new Set(records.map((r) => r.policy))).toEqual(new Set(['my-policy', 'last-resort']));
    expect(records.filter((r) => r.user === 'my-scenario')).toHaveLength(20);
  }, 60_000);

  it('refuses a folder that has files, and names studies after their folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine');
    expect(await runWelfareSim(['init', join(dir, 'taken')])).toEqual({ code: 2, stdout: '', stderr: `${join(dir, 'taken')}: expected a new or empty folder, found one with files in it\n` });
    expect(studyName('/x/My Study 2')).toBe('my-study-2');
    expect(studyName('/x/---')).toBe('my-study');
  }, 30_000);
});
