/**
 * `welfare-sim export RUN_DIR... --format csv|parquet --out DIR`: the runs as flat tables for pandas, R and SQL —
 * conversations, turns, metrics (docs/tables.md has every column).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { exportCsvTables, runLabel } from '../../export/export-runs.ts';

interface ExportFlags {
  format: string;
  out?: string;
}

const FORMATS = ['csv', 'parquet'] as const;

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Write a run (or several) as flat tables for pandas, R and SQL: conversations, turns and metrics (docs/tables.md).')
    .argument('<run-dir...>', 'one or more finished run directories; their rows share one file per table, told apart by the run column')
    .option('--format <format>', `${FORMATS.join(' | ')} (parquet needs the optional @duckdb/node-api)`, 'csv')
    .option('--out <dir>', 'folder to write the tables to (default: RUN_DIR/tables for one run)')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim export runs/quickstart/latest                      # runs/quickstart/latest/tables/*.csv
  $ welfare-sim export runs/a runs/b --format parquet --out tables
  Then, in Python:  pd.read_parquet("tables/conversations.parquet")
        in R:       read.csv("tables/conversations.csv")`,
    )
    .action(async (runDirs: string[], flags: ExportFlags) => {
      const format = flags.format;
      if (!(FORMATS as readonly string[]).includes(format)) throw InputError.one('--format', '', `expected ${FORMATS.join(' or ')}, found "${format}"`);
      const labels = runDirs.map(runLabel);
      const twice = labels.find((label, index) => labels.indexOf(label) !== index);
      if (twice !== undefined) throw InputError.one('<run-dir>', '', `expected each run once, found ${twice} twice`);
      const out = flags.out ?? (runDirs.length === 1 ? join(runDirs[0] ?? '.', 'tables') : undefined);
      if (out === undefined) throw InputError.one('--out', '', 'expected a folder for the tables of several runs, found none');
      if (format === 'csv') {
        for (const table of await exportCsvTables(runDirs, out)) process.stdout.write(`${table.file} (${table.rows} rows)\n`);
        return;
      }
      const { openDuckDb, writeParquet } = await import('../../export/duckdb.ts');
      const connection = await openDuckDb('--format parquet');
      mkdirSync(out, { recursive: true });
      // The CSV files DuckDB converts are written beside the Parquet files, then removed.
      const scratch = mkdtempSync(join(out, '.csv-'));
      try {
        const tables = await exportCsvTables(runDirs, scratch);
        const files = await writeParquet(connection, tables, out);
        files.forEach((file, index) => process.stdout.write(`${file} (${tables[index]?.rows ?? 0} rows)\n`));
      } finally {
        connection.closeSync();
        rmSync(scratch, { recursive: true, force: true });
      }
    });
}
