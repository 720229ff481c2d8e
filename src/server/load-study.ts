/**
 * Loads an experiment for `welfare-sim serve`: it must have a `study` section, and the study's policy and model
 * must be among the experiment's own (default: the first of each). Problems are InputErrors, thrown before the
 * server or a run directory exists.
 */
import type { Study } from '../core/experiment.ts';
import type { ModelEntry } from '../core/model-profile.ts';
import type { Policy } from '../core/policy.ts';
import { InputError, type InputProblem } from '../common/input-error.ts';
import { loadExperiment, type LoadedExperiment } from '../config/load-experiment.ts';
import { didYouMean } from '../config/suggest.ts';

export interface LoadedStudy {
  readonly loaded: LoadedExperiment;
  readonly study: Study;
  readonly policy: Policy;
  readonly model: ModelEntry;
}

export function loadStudy(file: string): LoadedStudy {
  const loaded = loadExperiment(file);
  const study = loaded.experiment.study;
  if (study === undefined) {
    throw InputError.one(file, 'study', 'expected a study section (consent, instructions, ...) for welfare-sim serve, found none');
  }
  const problems: InputProblem[] = [];
  const policyNames = loaded.policies.map((p) => p.name);
  const modelIds = loaded.models.map((m) => m.id);
  const policy = study.policy === undefined ? loaded.policies[0] : loaded.policies.find((p) => p.name === study.policy);
  const model = study.model === undefined ? loaded.models[0] : loaded.models.find((m) => m.id === study.model);
  if (policy === undefined) {
    problems.push({ file, path: 'study.policy', message: `expected one of the experiment's policies (${policyNames.join(', ')}), found "${study.policy}"${didYouMean(study.policy ?? '', policyNames)}` });
  }
  if (model === undefined) {
    problems.push({ file, path: 'study.model', message: `expected one of the experiment's models (${modelIds.join(', ')}), found "${study.model}"${didYouMean(study.model ?? '', modelIds)}` });
  }
  if (problems.length > 0 || policy === undefined || model === undefined) throw new InputError(problems);
  return { loaded, study, policy, model };
}
