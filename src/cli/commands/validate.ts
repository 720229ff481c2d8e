/**
 * `welfare-sim validate FILE...`: checks experiment, policy, scenario, persona, llm-user and model files without
 * running anything. An experiment is checked with everything it refers to.
 */
import type { Command } from 'commander';
import { categoriesBeside, endableCategoryProblems, sensitivityProblems } from '../../config/category-checks.ts';
import { calibrationProblems } from '../../config/calibration-checks.ts';
import { fileKind } from '../../config/file-kind.ts';
import { InputError, formatProblem, type InputProblem } from '../../common/input-error.ts';
import type { FileKind } from '../../config/json-schemas.ts';
import { loadExperiment } from '../../config/load-experiment.ts';
import { loadFile } from '../../config/load-file.ts';

/** The problems of one file (of an experiment: of it and all its parts); empty when the file is good. */
export function validateFile(file: string): { kind: FileKind; problems: readonly InputProblem[] } {
  const kind = fileKind(file);
  if (kind === 'policy') {
    const result = loadFile(kind, file);
    return { kind, problems: result.ok ? endableCategoryProblems(file, result.value, categoriesBeside(file)) : result.problems };
  }
  if (kind === 'model') {
    const result = loadFile(kind, file);
    return { kind, problems: result.ok ? [...sensitivityProblems(file, result.value, categoriesBeside(file)), ...calibrationProblems(file, result.value)] : result.problems };
  }
  if (kind !== 'experiment') {
    const result = loadFile(kind, file);
    return { kind, problems: result.ok ? [] : result.problems };
  }
  try {
    loadExperiment(file);
    return { kind, problems: [] };
  } catch (error) {
    if (error instanceof InputError) return { kind, problems: error.problems };
    throw error;
  }
}

/** Adds `validate FILE...` to the program; bad files throw one InputError with every problem (exit 2). */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check experiment, policy, scenario, persona, llm-user and model files; exit 2 with one line per problem.')
    .argument('<files...>', 'YAML files; the kind comes from the folder (scenarios/, personas/, llm-users/, policies/, models/, else experiment)')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim validate experiments/quickstart.yaml            # the experiment and every file it refers to
  $ welfare-sim validate experiments/policies/*.yaml
  $ welfare-sim validate experiments/scenarios/benign-recipe.yaml experiments/personas/civil-disagreer.yaml`,
    )
    .action((files: string[]) => {
      const problems: InputProblem[] = [];
      const seen = new Set<string>();
      for (const file of files) {
        const result = validateFile(file);
        if (result.problems.length === 0) process.stdout.write(`ok ${file} (${result.kind})\n`);
        // Two experiments that share a broken part would report it twice; once is enough.
        for (const problem of result.problems) {
          const line = formatProblem(problem);
          if (!seen.has(line)) problems.push(problem);
          seen.add(line);
        }
      }
      if (problems.length > 0) throw new InputError(problems);
    });
}
