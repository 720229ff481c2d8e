import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatUserTable, listUsers } from '../../src/cli/commands/scenarios.ts';

const STUDY = 'test/fixtures/bad-input/study';

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/welfare-sim.js', ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('listUsers', () => {
  it('lists scenarios, then personas, with class, turns and description', () => {
    expect(listUsers(STUDY)).toEqual([
      { id: 'calm-question', kind: 'scenario', class: 'benign', turns: 1, description: 'Asks one friendly question.' },
      { id: 'polite-leaver', kind: 'persona', class: 'user-requests-end', turns: 4, description: 'Chats briefly, then asks to end.' },
    ]);
  });

  it('formats an aligned table', () => {
    expect(formatUserTable(listUsers(STUDY))).toBe(
      [
        'ID             KIND      CLASS              TURNS  DESCRIPTION',
        'calm-question  scenario  benign             1      Asks one friendly question.',
        'polite-leaver  persona   user-requests-end  <=4    Chats briefly, then asks to end.',
      ].join('\n'),
    );
  });
});

describe('welfare-sim scenarios', { timeout: 30_000 }, () => {
  it('prints JSON with --json', async () => {
    const result = await cli('scenarios', '--dir', STUDY, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(listUsers(STUDY));
  });

  it('lists every shipped user', async () => {
    const result = await cli('scenarios', '--json');
    expect(result.stderr).toBe('');
    const users = JSON.parse(result.stdout) as { kind: string }[];
    const count = (kind: string) => users.filter((u) => u.kind === kind).length;
    expect([count('scenario'), count('persona'), count('llm')]).toEqual([19, 7, 2]);
  });

  it('fails with one line per problem on bad files, exit 2', async () => {
    expect(await cli('scenarios', '--dir', 'test/fixtures/bad-input')).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'test/fixtures/bad-input/scenarios/edit-past-end.yaml: afterEnd.atTurn: expected a turn from 1 to 2 (the scenario has 2 turns), found 5',
        'test/fixtures/bad-input/personas/unknown-intent.yaml: start: expected one of the intents (insult, calm), found "insullt"; did you mean "insult"?',
        'test/fixtures/bad-input/personas/unknown-intent.yaml: transitions.calm.clam: expected one of the intents (insult, calm), found "clam"; did you mean "calm"?',
        '',
      ].join('\n'),
    });
  });

  it('fails on a folder that does not exist', async () => {
    expect(await cli('scenarios', '--dir', 'no-such-dir')).toEqual({
      code: 2,
      stdout: '',
      stderr: '--dir: expected a folder with scenarios/ and personas/, found nothing at no-such-dir\n',
    });
  });
});
