/**
 * Flat tables for pandas, R and SQL: a table is a list of typed, documented columns, each computed from one row
 * of source data. The same definitions write the CSV files, give DuckDB the column types for Parquet and SQL, and
 * render the column dictionary in docs/tables.md, so the three cannot drift apart.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean';
export type Cell = string | number | boolean | null;

export interface Column<Row> {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  readonly value: (row: Row) => Cell;
}

export interface TableSpec<Row> {
  /** File stem: conversations → conversations.csv / conversations.parquet, and the SQL view's name. */
  readonly name: string;
  readonly description: string;
  readonly columns: readonly Column<Row>[];
}

/** One field of a CSV line (RFC 4180): empty for null; quoted when it holds a comma, quote, line break or is "". */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return cell === '' || /[",\r\n]/.test(cell) || cell.trim() !== cell ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Writes one table to a CSV file row by row, in chunks, so a large run never sits in memory as text. */
export class CsvTableWriter<Row> {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(
    readonly file: string,
    private readonly table: TableSpec<Row>,
  ) {
    this.fd = openSync(file, 'w');
    this.push(table.columns.map((column) => csvField(column.name)).join(','));
  }

  write(row: Row): void {
    this.push(this.table.columns.map((column) => csvField(column.value(row))).join(','));
    this.rows += 1;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }
}

/** `sweep_minRedirects`: the column of a swept policy field. */
export function sweepColumn(field: string): string {
  return `sweep_${field}`;
}

/** One column per swept field (the union over the runs exported together); null where a run did not sweep it. */
export function sweepColumns<Row>(fields: readonly string[], sweepOf: (row: Row) => Readonly<Record<string, number>>): Column<Row>[] {
  return fields.map((field) => ({
    name: sweepColumn(field),
    type: 'number',
    description: `The value of the swept policy field \`${field}\`.`,
    value: (row: Row) => sweepOf(row)[field] ?? null,
  }));
}
