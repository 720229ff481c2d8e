/**
 * `welfare-sim merge DIR... --out DIR`: joins the shard runs of one experiment (from `run --shard I/N` on many
 * machines) into one run directory identical to a one-machine run, then writes its report.
 */
import { Command, Option } from 'commander';
import { finishReport } from '../report-hook.ts';

interface MergeFlags {
  out: string;
  json?: boolean;
  report: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('Join the shard run directories of one experiment into one run directory (refuses mixed, duplicate, missing or unfinished shards).')
    .argument('<run-dir...>', 'the shard run directories (from run --shard I/N), in any order')
    .requiredOption('--out <dir>', 'the merged run directory (new or empty)')
    .option('--json', 'print a JSON summary ({runDir, conversations, errored, shards, eventsOrder}) on stdout')
    .addOption(new Option('--no-report', 'skip report.html and charts'))
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim merge runs/sweep-shard-* --out runs/sweep
  $ welfare-sim merge shard-1 shard-2 shard-3 shard-4 --out merged --json --no-report`,
    )
    .action(async (dirs: string[], flags: MergeFlags) => {
      const started = performance.now();
      const { mergeRuns } = await import('../../store/merge-runs.ts');
      const outcome = await mergeRuns({ dirs, out: flags.out });
      const report = flags.report ? await finishReport(outcome.outDir) : null;
      const { counts } = outcome.manifest;
      const shards = outcome.manifest.mergedFrom?.length ?? dirs.length;
      if (flags.json) {
        const summary = { runDir: outcome.outDir, conversations: counts.completed, errored: counts.errored, shards, eventsOrder: outcome.eventsOrder, ...(report ? { report } : {}) };
        process.stdout.write(JSON.stringify(summary) + '\n');
      } else {
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `Merged ${shards} shards: ${counts.completed} conversations (${counts.errored} errored) in ${seconds.toFixed(1)} s.\n` +
            `Run directory: ${outcome.outDir}\n` +
            (outcome.eventsOrder === 'shard' ? 'events.jsonl: shard by shard (a shard wrote its events out of grid order)\n' : '') +
            (report ? `Report: ${report}\n` : ''),
        );
      }
    });
}
