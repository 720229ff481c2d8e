/**
 * Bad input is reported, never thrown at the user as a stack trace: one line per problem,
 * `FILE: path.to.field: what was expected, what was found`, and exit code 2 (the CLI catches InputError).
 */
export interface InputProblem {
  /** The file at fault, as the user named it (or a pseudo-name such as "--shard" for a flag). */
  readonly file: string;
  /** Dotted path to the field, e.g. "sweep.minRedirects.2"; "" for the file as a whole. */
  readonly path: string;
  /** What was expected and what was found, e.g. "expected a number from 0 to 1, found 1.5". */
  readonly message: string;
}

export function formatProblem(problem: InputProblem): string {
  return problem.path ? `${problem.file}: ${problem.path}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

export class InputError extends Error {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
  static one(file: string, path: string, message: string): InputError {
    return new InputError([{ file, path, message }]);
  }
}
