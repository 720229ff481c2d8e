/**
 * Loads the policy and model a live session runs under, by name (`--policy last-resort` →
 * experiments/policies/last-resort.yaml) or by path (anything ending in .yaml/.yml). Both are checked before
 * anything is written, so bad input leaves no run directory behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { categoriesBesidePolicy, endableCategoryProblems } from '../config/category-checks.ts';
import { InputError, type InputProblem } from '../config/input-error.ts';
import { loadFile, type Loaded } from '../config/load-file.ts';

export interface LiveParts {
  readonly policy: Loaded<'policy'>;
  readonly model: Loaded<'model'>;
}

function partFile(flag: string, value: string, folder: string, problems: InputProblem[]): string | null {
  const file = /\.ya?ml$/.test(value) ? value : join(folder, `${value}.yaml`);
  if (existsSync(file)) return file;
  problems.push({ file: flag, path: '', message: `expected a file at ${file}, found none` });
  return null;
}

/** @throws InputError listing every problem with either part. */
export function loadLiveParts(options: { readonly policy: string; readonly model: string; readonly experimentsDir: string }): LiveParts {
  const problems: InputProblem[] = [];
  const policyFile = partFile('--policy', options.policy, join(options.experimentsDir, 'policies'), problems);
  const modelFile = partFile('--model', options.model, join(options.experimentsDir, 'models'), problems);
  const policy = policyFile === null ? null : loadFile('policy', policyFile);
  const model = modelFile === null ? null : loadFile('model', modelFile);
  if (policy && !policy.ok) problems.push(...policy.problems);
  if (policy?.ok && policyFile !== null) problems.push(...endableCategoryProblems(policyFile, policy.value, categoriesBesidePolicy(policyFile)));
  if (model && !model.ok) problems.push(...model.problems);
  if (problems.length > 0 || !policy?.ok || !model?.ok) throw new InputError(problems);
  return { policy: policy.value, model: model.value };
}
