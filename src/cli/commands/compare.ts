/**
 * `welfare-sim compare`: policies side by side for one or more runs, and paired differences from a baseline.
 */
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { closestMatch, didYouMean } from '../../config/suggest.ts';
import { pairedDifferences, type PairedDifference } from '../../core/paired-comparison.ts';
import { classTable } from '../../report/class-table.ts';
import { differenceTable, policyTable } from '../../report/comparison-table.ts';
import { surrogateLines, surrogateModels } from '../../report/surrogate-note.ts';
import { readConversations, readFinishedRun } from '../../store/read-run.ts';

interface CompareFlags {
  json?: boolean;
  by?: string;
  baseline?: string;
  html?: string;
}

/** Did-you-mean for a baseline: a policy name, or the base name of sweep variants (`last-resort[minRedirects=1]`). */
function baselineHint(baseline: string, names: readonly string[]): string {
  const base = (name: string): string => name.replace(/\[.*\]$/, '');
  const bases = [...new Set(names.map(base))];
  const match = bases.includes(baseline) ? baseline : closestMatch(baseline, bases);
  const variants = names.filter((name) => name !== match && base(name) === match);
  if (variants.length > 0) return `; did you mean "${variants[0]}"? (one of the ${variants.length} sweep variants of ${match})`;
  return didYouMean(baseline, names);
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Compare policies side by side: appropriate-end, false-end and at-risk end rates, distress exposure, vetoed ends.')
    .argument('<run-dir...>', 'one or more finished run directories')
    .option('--json', 'print the comparison as JSON')
    .option('--by <rows>', 'class: also one row per class of user and policy — end rate, who ended, turns to end, blocked messages, branches')
    .option('--html <file>', 'also write the runs side by side as one self-contained HTML page')
    .option('--baseline <policy>', 'also print each policy\'s paired difference from this policy, with 95% intervals')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim compare runs/quickstart/2026-11-26T19-05-00-000Z
  $ welfare-sim compare runs/quickstart/latest --baseline never-end
  $ welfare-sim compare runs/quickstart/latest --by class
  $ welfare-sim compare runs/a runs/b --json`,
    )
    .action(async (runDirs: string[], flags: CompareFlags) => {
      if (flags.by !== undefined && flags.by !== 'class') throw InputError.one('--by', '', `expected "class", found "${flags.by}"${didYouMean(flags.by, ['class'])}`);
      const runs = runDirs.map(readFinishedRun);
      const results: { runDir: string; experiment: string; policies: unknown; classes?: unknown; differences?: PairedDifference[]; surrogates?: unknown }[] = [];
      for (const run of runs) {
        let differences: PairedDifference[] | undefined;
        if (flags.baseline !== undefined) {
          const names = [...new Set(run.metrics.policies.map((p) => p.policy))];
          if (!names.includes(flags.baseline)) {
            throw InputError.one('--baseline', '', `expected one of the policies in ${run.runDir} (${names.join(', ')}), found "${flags.baseline}"${baselineHint(flags.baseline, names)}`);
          }
          differences = pairedDifferences(await readConversations(run.runDir), flags.baseline);
        }
        const byClass = flags.by === 'class' ? { classes: run.metrics.groups } : {};
        // A calibrated surrogate's figures are predictions: say so, with their held-out error (absent otherwise).
        const surrogates = surrogateModels(run.manifest);
        results.push({ runDir: run.runDir, experiment: run.metrics.experiment, policies: run.metrics.policies, ...byClass, ...(differences ? { differences } : {}), ...(surrogates.length > 0 ? { surrogates } : {}) });
        if (!flags.json) {
          process.stdout.write(`\n${run.metrics.experiment} — ${run.runDir}\n\n${policyTable(run.metrics.policies)}`);
          if (surrogates.length > 0) process.stdout.write(`\n${surrogates.flatMap(surrogateLines).join('\n')}\n`);
          if (flags.by === 'class') process.stdout.write(`\nBy class of user:\n\n${classTable(run.metrics.groups)}`);
          if (differences) process.stdout.write(`\nPaired differences from ${flags.baseline} (same users, models and seeds):\n\n${differenceTable(differences)}`);
        }
      }
      if (flags.json) process.stdout.write(JSON.stringify({ runs: results }, null, 2) + '\n');
      if (flags.html !== undefined) {
        const { writeCompareHtml } = await import('../../report/compare-html.ts');
        await writeCompareHtml(runDirs, flags.html);
      }
    });
}
