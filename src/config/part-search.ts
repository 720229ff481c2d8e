/**
 * Where an experiment's parts are looked for: first the experiment's own folders (`paths`, relative to the
 * experiment file), then the shipped library (the package's experiments/ folders). A study kept outside the
 * repository can so use the shipped models, policies, scenarios and personas beside its own; an id in both places
 * is the study's own. `all` means every file of the experiment's own folder only, so what an experiment runs does
 * not depend on which version of the library is installed.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Experiment } from '../core/experiment.ts';
import type { InputProblem } from '../common/input-error.ts';
import { packageRoot } from './package-root.ts';
import { readPartFolder, someIds, type PartFolder } from './part-folder.ts';

export type PartField = keyof Experiment['paths'];

/** The shipped folder of each kind of part, inside the package's experiments/. */
const LIBRARY_FOLDER: Readonly<Record<PartField, string>> = {
  scenarios: 'scenarios',
  personas: 'personas',
  policies: 'policies',
  models: 'models',
  llmUsers: 'llm-users',
};

/** The experiment's own folder and, unless it is the same folder, the shipped one. */
export interface PartSearch {
  readonly own: PartFolder;
  readonly library: PartFolder | undefined;
  /** Duplicate ids within either folder. */
  readonly problems: readonly InputProblem[];
}

function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** The shipped folder of a kind of part. */
export function libraryFolder(field: PartField): string {
  return join(packageRoot(), 'experiments', LIBRARY_FOLDER[field]);
}

/** Reads the folders one list of an experiment is looked up in. */
export function searchParts(field: PartField, experimentDir: string, paths: Experiment['paths']): PartSearch {
  const ownPath = isAbsolute(paths[field]) ? paths[field] : join(experimentDir, paths[field]);
  const own = readPartFolder(ownPath);
  const libraryPath = libraryFolder(field);
  const library = sameFolder(ownPath, libraryPath) ? undefined : readPartFolder(libraryPath);
  return { own, library, problems: [...own.problems, ...(library?.problems ?? [])] };
}

/** The file of an id: the experiment's own first, then the shipped one. */
export function findPart(search: PartSearch, id: string): string | undefined {
  return search.own.files.get(id) ?? search.library?.files.get(id);
}

/** Every id that can be named, own first, each once. */
export function availableIds(search: PartSearch): string[] {
  return [...new Set([...search.own.files.keys(), ...(search.library?.files.keys() ?? [])])];
}

/** "in study/models (the folder does not exist) or the shipped ones in …/experiments/models (balanced, stoic)". */
export function describeSearch(field: PartField, search: PartSearch): string {
  const own = search.own.exists ? `(${someIds([...search.own.files.keys()])})` : '(the folder does not exist)';
  const ownText = `the ${field} in ${search.own.folder} ${own}`;
  if (search.library === undefined) return ownText;
  const shipped = relative(process.cwd(), search.library.folder);
  const where = shipped.startsWith('..') || isAbsolute(shipped) ? search.library.folder : shipped;
  return `${ownText} or the shipped ones in ${where} (${someIds([...search.library.files.keys()])})`;
}
