/**
 * `welfare-sim tune EXPERIMENT`: policy search by racing on common random numbers (docs/tune.md).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { terminalProgress, silentProgress } from '../../runner/progress.ts';
import { abortOnInterrupt } from '../interrupt.ts';

interface TuneFlags {
  out?: string;
  runsDir: string;
  resume?: string;
  budgetUsd?: string;
  concurrency?: string;
  exhaustive?: boolean;
  json?: boolean;
  cache: boolean;
  report: boolean;
}

function positive(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0 && (!integer || (Number.isInteger(value) && value <= 1024)))) {
    throw InputError.one(flag, '', `expected ${integer ? 'a whole number from 1 to 1024' : 'a number above 0'}, found "${text}"`);
  }
  return value;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description("Search the policy values of an experiment's tune: block by racing on common random numbers; writes the feasible Pareto set, a recommended policy and a report.")
    .argument('[experiment]', 'experiment file (YAML) with a tune: block; optional with --resume')
    .option('--out <dir>', 'write the race here instead of runs/<experiment>/<timestamp>')
    .option('--runs-dir <dir>', 'parent folder of run directories', 'runs')
    .option('--resume <dir>', 'continue an interrupted race from its last finished round')
    .option('--budget-usd <usd>', 'stop before the estimated spend on Claude models would exceed this (simulated models cost 0)')
    .option('--concurrency <n>', "conversations in flight at once (default: the experiment's)")
    .option('--exhaustive', 'run every candidate at maxRepetitions and eliminate none (the answer the race is checked against)')
    .option('--json', 'print the answer (tune-answer.json) on stdout')
    .option('--no-cache', 'do not read or write the cache of model calls')
    .option('--no-report', 'skip tune-report.html')
    .addHelpText('after', `
Examples:
  $ welfare-sim tune experiments/tune-last-resort.yaml
  $ welfare-sim tune experiments/tune-last-resort.yaml --budget-usd 20
  $ welfare-sim tune --resume runs/tune-last-resort/2026-12-02T14-00-00-000Z`)
    .action(async (experiment: string | undefined, flags: TuneFlags) => {
      const interrupt = abortOnInterrupt();
      const started = performance.now();
      try {
        const budgetUsd = flags.budgetUsd === undefined ? undefined : positive('--budget-usd', flags.budgetUsd, false);
        const concurrency = flags.concurrency === undefined ? undefined : positive('--concurrency', flags.concurrency, true);
        const { runTune } = await import('../../runner/tune/run-tune.ts');
        const { writeTuneAnswer } = await import('../../runner/tune/tune-answer.ts');
        const outcome = await runTune({
          experimentFile: experiment,
          resumeDir: flags.resume,
          out: flags.out,
          runsDir: flags.runsDir,
          mode: flags.exhaustive ? 'exhaustive' : 'race',
          ...(budgetUsd !== undefined && { budgetUsd }),
          ...(concurrency !== undefined && { concurrency }),
          noCache: !flags.cache,
          cacheDir: resolve(flags.runsDir, '.cache'),
          env: process.env,
          now: () => new Date(),
          progress: flags.json ? silentProgress : terminalProgress(),
          signal: interrupt.signal,
        });
        if (outcome.interrupted) {
          process.stderr.write(`Interrupted after round ${outcome.state.roundsDone}. Finish with: welfare-sim tune --resume ${outcome.runDir}\n`);
          process.exitCode = 130;
          return;
        }
        const answer = await writeTuneAnswer(outcome.runDir, outcome.prepared, outcome.state);
        let report: string | null = null;
        if (flags.report) {
          const { writeTuneReport } = await import('../../report/tune-report.ts');
          report = await writeTuneReport(outcome.runDir, answer);
        }
        if (flags.json) {
          process.stdout.write(JSON.stringify(answer) + '\n');
          return;
        }
        const { formatTuneSummary } = await import('../../report/tune-summary.ts');
        process.stdout.write(formatTuneSummary(answer, (performance.now() - started) / 1000, report));
      } finally {
        interrupt.release();
      }
    });
}
