/**
 * The welfare-sim command line. Thin: each command lives in commands/ and registers itself here.
 * Exit codes: 0 ok, 1 run failed, 2 bad input (one line per problem, no stack trace).
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../common/input-error.ts';
import { COMMANDS } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('welfare-sim')
    .description('A research simulator for model welfare: when, and under which rules, may a model leave a conversation?')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI and returns the exit code; never lets a bad-input error escape as a stack trace. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(error.message + '\n');
      return 2;
    }
    if (error instanceof CommanderError) {
      // commander has already printed its message (and help where useful)
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`welfare-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.WELFARE_SIM_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/**
 * `welfare-sim compare … --json | head`: when the reader closes the pipe, stop quietly (exit 0, as `head` asked for
 * no more) instead of dying on an unhandled EPIPE with a stack trace.
 */
export function stopQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

const invokedDirectly = process.argv[1] !== undefined && /(main\.ts|welfare-sim(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  stopQuietlyOnClosedPipe(process.stdout);
  process.exitCode = await runCli(process.argv.slice(2));
}
