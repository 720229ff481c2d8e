/**
 * Loads an experiment with everything it refers to: its scenarios, personas, policies and models, each file read
 * and validated. All problems across all files are collected and thrown as one InputError, so a researcher fixes
 * a broken experiment in one pass.
 */
import { dirname, join } from 'node:path';
import type { Experiment } from '../core/experiment.ts';
import type { ModelEntry } from '../core/model-profile.ts';
import type { Persona } from '../core/persona.ts';
import type { Policy } from '../core/policy.ts';
import type { Scenario } from '../core/scenario.ts';
import { InputError, type InputProblem } from './input-error.ts';
import { loadFile, type Loaded } from './load-file.ts';
import { readPartFolder, someIds } from './part-folder.ts';
import { didYouMean } from './suggest.ts';
import { sweepProblems } from './sweep-checks.ts';

/** An experiment with every part it names loaded and validated. */
export interface LoadedExperiment {
  /** The experiment file, as it was named. */
  readonly file: string;
  /** The folder of the experiment file; `experiment.paths` are relative to it. */
  readonly dir: string;
  readonly experiment: Experiment;
  /** In the order the experiment lists them; `all` gives every file of the folder, sorted by id. */
  readonly scenarios: Scenario[];
  readonly personas: Persona[];
  readonly policies: Policy[];
  readonly models: ModelEntry[];
}

type PartKind = 'scenario' | 'persona' | 'policy' | 'model';
const LIST_FIELD = { scenario: 'scenarios', persona: 'personas', policy: 'policies', model: 'models' } as const;

/** Resolves one list of references (e.g. `policies`) to loaded parts, collecting problems. */
function resolveParts<K extends PartKind>(
  kind: K,
  loaded: { file: string; dir: string; experiment: Experiment },
  problems: InputProblem[],
): { parts: Loaded<K>[]; listed: number } {
  const field = LIST_FIELD[kind];
  const folder = readPartFolder(join(loaded.dir, loaded.experiment.paths[field]));
  problems.push(...folder.problems);
  const available = [...folder.files.keys()];
  const listed: readonly string[] | 'all' = loaded.experiment[field];
  if (listed === 'all' && !folder.exists) {
    problems.push({ file: loaded.file, path: field, message: `expected a folder of ${field} at ${folder.folder}, found none` });
    return { parts: [], listed: 0 };
  }
  const ids: readonly string[] = listed === 'all' ? available : listed;
  const parts: Loaded<K>[] = [];
  ids.forEach((id, index) => {
    const path = listed === 'all' ? field : `${field}.${index}`;
    const file = folder.files.get(id);
    if (ids.indexOf(id) !== index) {
      problems.push({ file: loaded.file, path, message: `expected each of the ${field} once, found "${id}" again` });
    } else if (file === undefined) {
      const known = folder.exists ? `(${someIds(available)})` : '(the folder does not exist)';
      const message = `expected one of the ${field} in ${folder.folder} ${known}, found "${id}"${didYouMean(id, available)}`;
      problems.push({ file: loaded.file, path, message });
    } else {
      const result = loadFile(kind, file);
      if (result.ok) parts.push(result.value);
      else problems.push(...result.problems);
    }
  });
  return { parts, listed: ids.length };
}

/** A user id shared by a scenario and a persona would make two different users indistinguishable in the records. */
function sharedIdProblems(file: string, scenarios: Scenario[], personas: Persona[]): InputProblem[] {
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  return personas
    .filter((persona) => scenarioIds.has(persona.id))
    .map((persona) => ({ file, path: 'personas', message: `expected ids not used by a scenario too, found "${persona.id}" in both` }));
}

/**
 * Loads an experiment file and every part it refers to.
 *
 * @throws InputError with one problem per line, across the experiment and all its parts.
 * @example
 * const { experiment, policies, scenarios } = loadExperiment('experiments/quickstart.yaml');
 */
export function loadExperiment(file: string): LoadedExperiment {
  const result = loadFile('experiment', file);
  if (!result.ok) throw new InputError(result.problems);
  const experiment = result.value;
  const base = { file, dir: dirname(file), experiment };
  const problems: InputProblem[] = [];
  const scenarios = resolveParts('scenario', base, problems);
  const personas = resolveParts('persona', base, problems);
  const policies = resolveParts('policy', base, problems).parts;
  const models = resolveParts('model', base, problems).parts;
  if (scenarios.listed === 0 && personas.listed === 0) {
    problems.push({ file, path: '', message: 'expected at least one scenario or persona, found none (the grid is empty)' });
  }
  problems.push(...sharedIdProblems(file, scenarios.parts, personas.parts), ...sweepProblems(file, experiment.sweep));
  if (problems.length > 0) throw new InputError(problems);
  return { ...base, scenarios: scenarios.parts, personas: personas.parts, policies, models };
}
