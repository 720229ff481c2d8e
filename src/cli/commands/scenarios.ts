/**
 * `welfare-sim scenarios`: lists the users an experiment can name — scripted scenarios, stochastic personas and
 * users played by a model — with their class (the ground truth the metrics judge against) and description.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, type InputProblem } from '../../common/input-error.ts';
import { loadFile } from '../../config/load-file.ts';
import { readPartFolder } from '../../config/part-folder.ts';
import type { ScenarioClass } from '../../core/labels.ts';

/** One user as listed. `turns` is a scenario's turn count, or a persona's (or llm user's) maximum. */
export interface UserListing {
  readonly id: string;
  readonly kind: 'scenario' | 'persona' | 'llm';
  readonly class: ScenarioClass;
  readonly turns: number;
  readonly description: string;
}

/** The folder each kind of user lives in, in listing order. */
const USER_FOLDERS = [
  { kind: 'scenario', folder: 'scenarios' },
  { kind: 'persona', folder: 'personas' },
  { kind: 'llm', folder: 'llm-users' },
] as const;

function loadUser(kind: UserListing['kind'], file: string) {
  if (kind === 'scenario') return loadFile('scenario', file);
  return kind === 'persona' ? loadFile('persona', file) : loadFile('llm-user', file);
}

/**
 * Every scenario, then every persona, then every llm user of an experiments folder, each sorted by id (a missing
 * folder lists none). Throws InputError on bad files.
 */
export function listUsers(dir: string): UserListing[] {
  if (!existsSync(dir)) throw InputError.one('--dir', '', `expected a folder with scenarios/ and personas/, found nothing at ${dir}`);
  const problems: InputProblem[] = [];
  const users: UserListing[] = [];
  for (const { kind, folder: name } of USER_FOLDERS) {
    const folder = readPartFolder(join(dir, name));
    problems.push(...folder.problems);
    for (const file of folder.files.values()) {
      const result = loadUser(kind, file);
      if (!result.ok) {
        problems.push(...result.problems);
        continue;
      }
      const user = result.value;
      const turns = 'maxTurns' in user ? user.maxTurns : user.turns.length;
      users.push({ id: user.id, kind, class: user.class, turns, description: user.description });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return users;
}

/** An aligned plain-text table; the last column (description) is left unpadded. */
export function formatUserTable(users: readonly UserListing[]): string {
  const rows = [
    ['ID', 'KIND', 'CLASS', 'TURNS', 'DESCRIPTION'],
    ...users.map((u) => [u.id, u.kind, u.class, u.kind === 'scenario' ? String(u.turns) : `<=${u.turns}`, u.description]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '))
    .join('\n');
}

/** Adds `scenarios [--dir experiments] [--json]` to the program. */
export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('List the scripted scenarios, stochastic personas and llm users, with their class and description.')
    .option('--dir <folder>', 'the experiments folder (with scenarios/ and personas/)', 'experiments')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim scenarios
  $ welfare-sim scenarios --dir my-study --json`,
    )
    .action((options: { dir: string; json?: boolean }) => {
      const users = listUsers(options.dir);
      process.stdout.write(options.json ? JSON.stringify(users, null, 2) + '\n' : formatUserTable(users) + '\n');
    });
}
