/**
 * `welfare-sim run`: runs an experiment (or resumes one) into a run directory.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { InputError } from '../../common/input-error.ts';
import type { Shard } from '../../runner/run-experiment.ts';
import { terminalProgress, silentProgress } from '../../runner/progress.ts';
import { finishReport } from '../report-hook.ts';
import { abortOnInterrupt } from '../interrupt.ts';

interface RunFlags {
  out?: string;
  runsDir: string;
  resume?: string;
  shard?: string;
  concurrency?: string;
  threads?: string;
  trace?: boolean;
  json?: boolean;
  cache: boolean;
  report: boolean;
  batch?: boolean;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw InputError.one('--shard', '', `expected I/N with 1 <= I <= N (e.g. 2/4), found "${text}"`);
  }
  return { index, count };
}

function parseCount(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1024) {
    throw InputError.one(flag, '', `expected a whole number from 1 to 1024, found "${text}"`);
  }
  return value;
}

/** "Ran 920 conversations (0 errored) in 3.5 s."; after a resume, what this invocation ran and what was done before. */
export function ranLine(completed: number, errored: number, doneBefore: number, seconds: number): string {
  if (doneBefore === 0) return `Ran ${completed} conversations (${errored} errored) in ${seconds.toFixed(1)} s.\n`;
  return `Ran ${completed - doneBefore} conversations in ${seconds.toFixed(1)} s; with the ${doneBefore} done before, the run has all ${completed} (${errored} errored).\n`;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run an experiment on its models and policies, writing a run directory (or finish one with --resume).')
    .argument('[experiment]', 'experiment file (YAML); optional with --resume')
    .option('--out <dir>', 'write the run here instead of runs/<experiment>/<timestamp>')
    .option('--runs-dir <dir>', 'parent folder of run directories', 'runs')
    .option('--resume <dir>', 'complete only the conversations missing from an interrupted run')
    .option('--shard <i/n>', 'run the i-th of n deterministic shares of the grid (for Slurm arrays, CI matrices)')
    .option('--concurrency <n>', 'conversations in flight at once (default: the experiment\'s)')
    .option('--threads <n>', 'worker threads for simulated-only runs without --trace (default: one per core for large runs); otherwise one thread, and a note says so')
    .option('--trace', 'also record every statechart inspection event (events, snapshots, transitions) in trace.jsonl')
    .option('--json', 'print a JSON summary ({runDir, conversations, errored}) on stdout')
    .option('--no-cache', 'do not read or write the cache of model calls')
    .option('--batch', 'send Claude calls through the Message Batches API in lock-step rounds (half price; resumable)')
    .addOption(new Option('--no-report', 'skip report.html and charts at the end'))
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim run experiments/quickstart.yaml
  $ welfare-sim run experiments/threshold-sweep.yaml --concurrency 16 --json
  $ welfare-sim run experiments/threshold-sweep.yaml --shard 2/4 --out runs/sweep-shard-2
  $ welfare-sim run --resume runs/quickstart/2026-11-26T19-05-00-000Z`,
    )
    .action(async (experiment: string | undefined, flags: RunFlags, command: Command) => {
      const interrupt = abortOnInterrupt();
      const started = performance.now();
      try {
        const { runExperiment } = await import('../../runner/run-experiment.ts');
        const outcome = await runExperiment({
          experimentFile: experiment,
          resumeDir: flags.resume,
          out: flags.out,
          runsDir: flags.runsDir,
          shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
          concurrency: flags.concurrency === undefined ? undefined : parseCount('--concurrency', flags.concurrency),
          trace: flags.trace ?? false,
          threads: flags.threads === undefined ? undefined : parseCount('--threads', flags.threads),
          noCache: !flags.cache,
          cacheDir: resolve(flags.runsDir, '.cache'),
          resumeCache: command.getOptionValueSource('runsDir') === 'default',
          env: process.env,
          now: () => new Date(),
          progress: flags.json ? silentProgress : terminalProgress(),
          signal: interrupt.signal,
          batch: flags.batch === true,
          onNote: (message) => process.stderr.write(`note: ${message}\n`),
        });
        const { manifest, runDir } = outcome;
        const seconds = (performance.now() - started) / 1000;
        if (manifest.status === 'interrupted') {
          process.stderr.write(
            `Interrupted: ${manifest.counts.completed} of ${manifest.planned} conversations done.\n` +
              `Finish with: welfare-sim run --resume ${runDir}\n`,
          );
          process.exitCode = 130;
        }
        if (manifest.status !== 'interrupted' && manifest.counts.errored > 0) {
          const { completed, errored } = manifest.counts;
          process.stderr.write(
            `${errored} of ${completed} conversations errored (a model call failed after its retries; errors are in conversations.jsonl).\n` +
              `Retry them with: welfare-sim run --resume ${runDir}\n`,
          );
          process.exitCode = 1;
        }
        const writeReport = manifest.status === 'complete' && flags.report;
        // The bar stands at 100% while the charts are drawn (seconds for a large sweep): say what is happening.
        if (writeReport && !flags.json && process.stderr.isTTY) process.stderr.write('Writing the report (charts and report.html)…\n');
        const report = writeReport ? await finishReport(runDir) : null;
        if (flags.json) {
          const summary = { runDir, conversations: manifest.counts.completed, errored: manifest.counts.errored, status: manifest.status, ...(report ? { report } : {}) };
          process.stdout.write(JSON.stringify(summary) + '\n');
        } else if (manifest.status === 'complete') {
          process.stdout.write(
            ranLine(manifest.counts.completed, manifest.counts.errored, outcome.doneBefore, seconds) +
              `Run directory: ${runDir}\n` +
              (report ? `Report: ${report}\n` : ''),
          );
        }
      } finally {
        interrupt.release();
      }
    });
}
