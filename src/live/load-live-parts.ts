/**
 * Loads the policy and model a live session runs under, by name (`--policy last-resort` →
 * experiments/policies/last-resort.yaml) or by path (anything ending in .yaml/.yml). Both are checked before
 * anything is written, so bad input leaves no run directory behind.
 */
import { existsSync } from 'node:fs';
import { categoriesBeside, endableCategoryProblems, sensitivityProblems } from '../config/category-checks.ts';
import { InputError, type InputProblem } from '../common/input-error.ts';
import { loadFile, type Loaded } from '../config/load-file.ts';
import { availableIds, describeSearch, findPart, searchParts } from '../config/part-search.ts';
import { didYouMean } from '../config/suggest.ts';

const DEFAULT_PATHS = { scenarios: 'scenarios', personas: 'personas', policies: 'policies', models: 'models', llmUsers: 'llm-users' };

export interface LiveParts {
  readonly policy: Loaded<'policy'>;
  readonly model: Loaded<'model'>;
}

/** `--policy eager` → <experiments>/policies/eager.yaml, else the shipped one; a .yaml value is a path. */
function partFile(flag: string, value: string, field: 'policies' | 'models', experimentsDir: string, problems: InputProblem[]): string | null {
  if (/\.ya?ml$/.test(value)) {
    if (existsSync(value)) return value;
    problems.push({ file: flag, path: '', message: `expected a file at ${value}, found none` });
    return null;
  }
  const search = searchParts(field, experimentsDir, { ...DEFAULT_PATHS, [field]: field });
  const file = findPart(search, value);
  if (file !== undefined) return file;
  problems.push({ file: flag, path: '', message: `expected one of ${describeSearch(field, search)}, found "${value}"${didYouMean(value, availableIds(search))}` });
  return null;
}

/** @throws InputError listing every problem with either part. */
export function loadLiveParts(options: { readonly policy: string; readonly model: string; readonly experimentsDir: string }): LiveParts {
  const problems: InputProblem[] = [];
  const policyFile = partFile('--policy', options.policy, 'policies', options.experimentsDir, problems);
  const modelFile = partFile('--model', options.model, 'models', options.experimentsDir, problems);
  const policy = policyFile === null ? null : loadFile('policy', policyFile);
  const model = modelFile === null ? null : loadFile('model', modelFile);
  if (policy && !policy.ok) problems.push(...policy.problems);
  if (policy?.ok && policyFile !== null) problems.push(...endableCategoryProblems(policyFile, policy.value, categoriesBeside(policyFile)));
  if (model && !model.ok) problems.push(...model.problems);
  if (model?.ok && modelFile !== null) problems.push(...sensitivityProblems(modelFile, model.value, categoriesBeside(modelFile)));
  if (problems.length > 0 || !policy?.ok || !model?.ok) throw new InputError(problems);
  return { policy: policy.value, model: model.value };
}
