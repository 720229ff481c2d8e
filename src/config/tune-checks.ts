/**
 * Checks on an experiment's `tune:` block that need its policies: the base is one of them, every searched value is
 * one the policy field accepts, the grid is not larger than tune.maxCandidates, and no `sweep` sits beside it.
 * Run by `validate` and `tune` alike (through loadExperiment).
 */
import type { Experiment } from '../core/experiment.ts';
import type { Policy } from '../core/policy.ts';
import { expandCandidates } from '../core/tune/candidates.ts';
import type { InputProblem } from '../common/input-error.ts';

export function tuneProblems(file: string, experiment: Experiment, policies: readonly Policy[]): InputProblem[] {
  const tune = experiment.tune;
  if (tune === undefined) return [];
  const problems: InputProblem[] = [];
  if (Object.keys(experiment.sweep).length > 0) problems.push({ file, path: 'sweep', message: 'expected no sweep next to tune (tune.search is the grid), found one' });
  const base = tune.base === undefined ? policies[0] : policies.find((p) => p.name === tune.base);
  if (base === undefined) {
    if (policies.length > 0) problems.push({ file, path: 'tune.base', message: `expected one of the experiment's policies (${policies.map((p) => p.name).join(', ')}), found "${tune.base}"` });
    return problems;
  }
  problems.push(...expandCandidates(base, tune.search, tune.maxCandidates).problems.map((p) => ({ file, ...p })));
  return problems;
}
