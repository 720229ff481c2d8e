/**
 * `welfare-sim sql RUN_DIR... "SELECT …"`: a SQL query over the exported tables of one or more runs (the tables
 * conversations, turns and metrics of docs/tables.md), run by an embedded DuckDB. No server, no files left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../common/input-error.ts';
import { exportCsvTables } from '../../export/export-runs.ts';
import { csvField, type Cell } from '../../export/table.ts';

interface SqlFlags {
  csv?: boolean;
  json?: boolean;
}

/** A cell as text for the aligned table: long texts shortened to one line. */
function shown(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function alignedTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [columns.map(String), ...rows.map((row) => row.map(shown))];
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => (row[index] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

const asCell = (value: unknown): Cell =>
  value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : (value as Cell);

export function registerSql(program: Command): void {
  program
    .command('sql')
    .description('Query one or more runs with SQL (DuckDB, embedded): tables conversations, turns and metrics (docs/tables.md).')
    .argument('<run-dirs-and-query...>', 'one or more finished run directories, then the query (quoted)')
    .option('--csv', 'print the result as CSV')
    .option('--json', 'print the result as JSON (an array of objects)')
    .addHelpText(
      'after',
      `
Examples:
  $ welfare-sim sql runs/quickstart/latest "SELECT policy, avg(ended::int) AS end_rate FROM conversations GROUP BY policy"
  $ welfare-sim sql runs/a runs/b "SELECT run, policy, value, low, high FROM metrics WHERE metric = 'falseEndRate'" --csv`,
    )
    .action(async (args: string[], flags: SqlFlags) => {
      const sql = args.at(-1) ?? '';
      const runDirs = args.slice(0, -1);
      if (runDirs.length === 0) throw InputError.one('<run-dir>', '', 'expected one or more run directories before the query, found none');
      const { loadTables, openDuckDb, query } = await import('../../export/duckdb.ts');
      const connection = await openDuckDb('sql');
      const scratch = mkdtempSync(join(tmpdir(), 'welfare-sim-sql-'));
      try {
        await loadTables(connection, await exportCsvTables(runDirs, scratch));
        const result = await query(connection, sql);
        if (flags.json) {
          const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((name, index) => [name, row[index] ?? null])));
          process.stdout.write(JSON.stringify(objects, null, 2) + '\n');
        } else if (flags.csv) {
          const lines = [result.columns.map(csvField).join(','), ...result.rows.map((row) => row.map((cell) => csvField(asCell(cell))).join(','))];
          process.stdout.write(lines.join('\n') + '\n');
        } else process.stdout.write(alignedTable(result.columns, result.rows));
      } finally {
        connection.closeSync();
        rmSync(scratch, { recursive: true, force: true });
      }
    });
}
