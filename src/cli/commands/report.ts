/**
 * `welfare-sim report RUN_DIR...`: (re)writes each run's charts (charts/*.vl.json, .svg, .png) and its
 * self-contained report.html, and prints the page's path.
 */
import type { Command } from 'commander';

interface ReportFlags {
  png?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write the charts and a self-contained report.html (opens from disk, no network) for a run directory.')
    .argument('<run-dir...>', 'one or more run directories')
    .option('--no-png', 'write the charts as .vl.json and .svg only')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim report runs/quickstart/2026-11-26T19-05-00-000Z
  $ welfare-sim report runs/sweep/* --no-png`,
    )
    .action(async (runDirs: string[], flags: ReportFlags) => {
      for (const runDir of runDirs) {
        const { writeReport } = await import('../../report/write-report.ts');
        const page = await writeReport(runDir, { png: flags.png !== false });
        process.stdout.write(`${page}\n`);
      }
    });
}
