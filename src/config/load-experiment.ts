/**
 * Loads an experiment with everything it refers to: its scenarios, personas, llm users, policies and models, each
 * file read and validated. All problems across all files are collected and thrown as one InputError, so a
 * researcher fixes a broken experiment in one pass.
 */
import { dirname } from 'node:path';
import { experimentSchema, type Experiment } from '../core/experiment.ts';
import type { LlmPersona } from '../core/llm-persona.ts';
import type { ModelEntry } from '../core/model-profile.ts';
import type { Persona } from '../core/persona.ts';
import type { Policy } from '../core/policy.ts';
import type { Scenario } from '../core/scenario.ts';
import { calibrationProblems } from './calibration-checks.ts';
import { categoriesOfFiles, declaredCategories, endableCategoryProblems, sensitivityProblems, userCategories } from './category-checks.ts';
import { InputError, type InputProblem } from '../common/input-error.ts';
import { loadFile, type Loaded } from './load-file.ts';
import { availableIds, describeSearch, findPart, searchParts } from './part-search.ts';
import { readYaml } from './read-yaml.ts';
import { didYouMean } from './suggest.ts';
import { sweepProblems } from './sweep-checks.ts';
import { tuneProblems } from './tune-checks.ts';

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
  /** Users played by a model (`llmUsers`, files in llm-users/). */
  readonly llmUsers: LlmPersona[];
  readonly policies: Policy[];
  readonly models: ModelEntry[];
}

type PartKind = 'scenario' | 'persona' | 'llm-user' | 'policy' | 'model';
const LIST_FIELD = { scenario: 'scenarios', persona: 'personas', 'llm-user': 'llmUsers', policy: 'policies', model: 'models' } as const;
type ListField = (typeof LIST_FIELD)[PartKind];

interface Origin {
  readonly file: string;
  readonly dir: string;
  readonly paths: Experiment['paths'];
}

/** Resolves one list of references (e.g. `policies`) to loaded parts, collecting problems. */
function resolveParts<K extends PartKind>(
  kind: K,
  listed: readonly string[] | 'all',
  origin: Origin,
  problems: InputProblem[],
): { parts: Loaded<K>[]; files: string[]; listed: number } {
  const field = LIST_FIELD[kind];
  const search = searchParts(field, origin.dir, origin.paths);
  problems.push(...search.problems);
  if (listed === 'all' && !search.own.exists) {
    const message = `expected a folder of ${field} at ${search.own.folder}, found none (\`all\` means every file of the experiment's own folder; name shipped ${field} by id)`;
    problems.push({ file: origin.file, path: field, message });
    return { parts: [], files: [], listed: 0 };
  }
  const available = availableIds(search);
  const ids: readonly string[] = listed === 'all' ? [...search.own.files.keys()] : listed;
  const parts: Loaded<K>[] = [];
  const files: string[] = [];
  ids.forEach((id, index) => {
    const path = listed === 'all' ? field : `${field}.${index}`;
    const file = findPart(search, id);
    if (ids.indexOf(id) !== index) {
      problems.push({ file: origin.file, path, message: `expected each of the ${field} once, found "${id}" again` });
    } else if (file === undefined) {
      const message = `expected one of ${describeSearch(field, search)}, found "${id}"${didYouMean(id, available)}`;
      problems.push({ file: origin.file, path, message });
    } else {
      const result = loadFile(kind, file);
      if (result.ok) {
        parts.push(result.value);
        files.push(file);
      } else problems.push(...result.problems);
    }
  });
  return { parts, files, listed: ids.length };
}

/** A user id shared by two kinds of user would make two different users indistinguishable in the records. */
function sharedIdProblems(file: string, scenarios: Scenario[], personas: Persona[], llmUsers: LlmPersona[]): InputProblem[] {
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  const personaIds = new Set(personas.map((p) => p.id));
  return [
    ...personas
      .filter((persona) => scenarioIds.has(persona.id))
      .map((persona) => ({ file, path: 'personas', message: `expected ids not used by a scenario too, found "${persona.id}" in both` })),
    ...llmUsers
      .filter((user) => scenarioIds.has(user.id) || personaIds.has(user.id))
      .map((user) => {
        const other = scenarioIds.has(user.id) ? 'scenario' : 'persona';
        return { file, path: 'llmUsers', message: `expected ids not used by a scenario or persona too, found "${user.id}" as an llm user and a ${other}` };
      }),
  ];
}

/**
 * The fields of an experiment that are valid on their own, so that the parts of an experiment with a bad field
 * elsewhere (say `repetitions: 0`) are still checked in the same pass. A field that is invalid is left out; its
 * problem has been reported already.
 */
function validFields(
  data: unknown,
  complete: boolean,
): {
  paths?: Experiment['paths'];
  lists: { [F in ListField]?: readonly string[] | 'all' };
  sweep?: Experiment['sweep'];
} {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { lists: {} };
  const raw = data as Record<string, unknown>;
  const shape = experimentSchema.shape;
  const paths = shape.paths.safeParse(raw.paths);
  const sweep = shape.sweep.safeParse(raw.sweep);
  const lists: { [F in ListField]?: readonly string[] | 'all' } = {};
  for (const field of Object.values(LIST_FIELD)) {
    // A list the file leaves out is taken at its default only once the whole file is valid: next to a typo such as
    // `scenarioz:`, "the grid is empty" would be noise.
    if (raw[field] === undefined && !complete) continue;
    const list = shape[field].safeParse(raw[field]);
    if (list.success) lists[field] = list.data;
  }
  return { ...(paths.success && { paths: paths.data }), lists, ...(sweep.success && { sweep: sweep.data }) };
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
  const problems: InputProblem[] = result.ok ? [] : [...result.problems];
  const read = result.ok ? undefined : readYaml(file);
  const fields = validFields(result.ok ? result.value : read?.ok ? read.data : undefined, result.ok);
  if (fields.paths === undefined) throw new InputError(problems);
  const origin: Origin = { file, dir: dirname(file), paths: fields.paths };
  const { scenarios, personas, llmUsers, policies, models } = fields.lists;
  const resolvedScenarios = scenarios === undefined ? undefined : resolveParts('scenario', scenarios, origin, problems);
  const resolvedPersonas = personas === undefined ? undefined : resolveParts('persona', personas, origin, problems);
  const resolvedLlmUsers = llmUsers === undefined ? undefined : resolveParts('llm-user', llmUsers, origin, problems);
  const policyParts = policies === undefined ? undefined : resolveParts('policy', policies, origin, problems);
  const resolvedPolicies = policyParts?.parts ?? [];
  const modelParts = models === undefined ? undefined : resolveParts('model', models, origin, problems);
  const resolvedModels = modelParts?.parts ?? [];
  // Most experiments leave llmUsers out; next to other mistakes it is not known, but it adds no users either way.
  if (resolvedScenarios?.listed === 0 && resolvedPersonas?.listed === 0 && (resolvedLlmUsers?.listed ?? 0) === 0) {
    problems.push({ file, path: '', message: 'expected at least one scenario, persona or llm user, found none (the grid is empty)' });
  }
  problems.push(...sharedIdProblems(file, resolvedScenarios?.parts ?? [], resolvedPersonas?.parts ?? [], resolvedLlmUsers?.parts ?? []));
  if (fields.sweep !== undefined) problems.push(...sweepProblems(file, fields.sweep));
  // Declared: the known categories, those of the users listed, and those of every user file of the study's own folders.
  const ownScenarios = searchParts('scenarios', origin.dir, origin.paths).own.files.values();
  const ownPersonas = searchParts('personas', origin.dir, origin.paths).own.files.values();
  const listedUsers = userCategories(resolvedScenarios?.parts ?? [], resolvedPersonas?.parts ?? []);
  const declared = declaredCategories([...listedUsers, ...categoriesOfFiles(ownScenarios, ownPersonas)]);
  resolvedPolicies.forEach((policy, at) => problems.push(...endableCategoryProblems(policyParts?.files[at] ?? file, policy, declared)));
  resolvedModels.forEach((model, at) => problems.push(...sensitivityProblems(modelParts?.files[at] ?? file, model, declared)));
  resolvedModels.forEach((model, at) => problems.push(...calibrationProblems(modelParts?.files[at] ?? file, model)));
  if (result.ok && problems.length === 0) problems.push(...tuneProblems(file, result.value, resolvedPolicies));
  if (!result.ok || problems.length > 0) throw new InputError(problems);
  return {
    file,
    dir: origin.dir,
    experiment: result.value,
    scenarios: resolvedScenarios?.parts ?? [],
    personas: resolvedPersonas?.parts ?? [],
    llmUsers: resolvedLlmUsers?.parts ?? [],
    policies: resolvedPolicies,
    models: resolvedModels,
  };
}
