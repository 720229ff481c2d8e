/**
 * Parquet files and SQL over the exported tables, through DuckDB (@duckdb/node-api: embedded, in this process, no
 * server). DuckDB reads the CSV files that export writes with the column types the table definitions declare (no
 * type guessing), so the Parquet columns and the SQL views have exactly the documented types.
 *
 * @duckdb/node-api is an optional dependency (its native library is a registry package for each platform): CSV
 * export works without it; Parquet and `sql` say how to install it when it is missing.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../common/input-error.ts';
import type { ColumnType } from './table.ts';
import type { WrittenTable } from './export-runs.ts';

const DUCK_TYPES: Readonly<Record<ColumnType, string>> = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN' };

const quoteText = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const quoteName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A connection to a new in-memory database; an InputError naming the package when DuckDB is not installed. */
export async function openDuckDb(flag: string): Promise<DuckDBConnection> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch {
    throw InputError.one(flag, '', 'expected DuckDB for Parquet and SQL, found @duckdb/node-api not installed (npm install @duckdb/node-api; CSV export works without it)');
  }
  const instance = await api.DuckDBInstance.create(':memory:');
  return instance.connect();
}

/** `read_csv(...)` of one exported table with its declared column types. */
function readCsv(table: WrittenTable): string {
  const columns = table.spec.columns.map((column) => `${quoteText(column.name)}: ${quoteText(DUCK_TYPES[column.type])}`).join(', ');
  // allow_quoted_nulls=false: a quoted "" is an empty text, an empty field is null (as export writes them).
  return `read_csv(${quoteText(table.file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, columns = {${columns}})`;
}

/** Writes `<name>.parquet` for each table into outDir; returns the files. */
export async function writeParquet(connection: DuckDBConnection, tables: readonly WrittenTable[], outDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const table of tables) {
    const file = join(outDir, `${table.name}.parquet`);
    await connection.run(`COPY (SELECT * FROM ${readCsv(table)}) TO ${quoteText(file)} (FORMAT parquet, COMPRESSION snappy)`);
    files.push(file);
  }
  return files;
}

/** Loads each table into a DuckDB table of its name (conversations, turns, metrics), for queries. */
export async function loadTables(connection: DuckDBConnection, tables: readonly WrittenTable[]): Promise<void> {
  for (const table of tables) await connection.run(`CREATE TABLE ${quoteName(table.name)} AS SELECT * FROM ${readCsv(table)}`);
}

export interface QueryResult {
  readonly columns: string[];
  /** Cells as JSON values: numbers, texts, booleans, null (a 64-bit integer beyond 2^53 stays a text). */
  readonly rows: unknown[][];
}

/** Runs one query; a SQL error becomes an InputError with DuckDB's message (the query is the user's input). */
export async function query(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  try {
    const reader = await connection.runAndReadAll(sql);
    const columns = reader.columnNames();
    const rows = reader.getRowsJS().map((row) => row.map(plainCell));
    return { columns, rows };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw InputError.one('SQL', '', `expected a query DuckDB can run, found: ${message}`);
  }
}

function plainCell(cell: unknown): unknown {
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (cell === null || typeof cell !== 'object') return cell;
  if (cell instanceof Date) return cell.toISOString();
  return JSON.parse(JSON.stringify(cell, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}
