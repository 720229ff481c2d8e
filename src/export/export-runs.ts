/**
 * Writes the flat tables of one or more finished runs as CSV: conversations.csv, turns.csv, metrics.csv. Runs
 * exported together share one file per table, told apart by the `run` column; a sweep field swept in any of them
 * is a column of all (empty where a run did not sweep it).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockedEvent, RunEvent, TurnEvent } from '../core/records.ts';
import { readManifest } from '../store/manifest.ts';
import { readMetrics } from '../store/read-run.ts';
import { readRecords } from '../store/run-records.ts';
import { conversationTable, type ConversationRow } from './conversation-table.ts';
import { metricRows, metricTable } from './metric-table.ts';
import { CsvTableWriter, type TableSpec } from './table.ts';
import { TURN_TABLE } from './turn-table.ts';

export interface WrittenTable {
  readonly name: string;
  readonly file: string;
  readonly rows: number;
  /** The table's columns and their types, as written (for DuckDB). */
  readonly spec: TableSpec<never>;
}

/** The label of a run in the `run` column: the directory as given, without a trailing slash. */
export function runLabel(runDir: string): string {
  return runDir.length > 1 ? runDir.replace(/[\\/]+$/, '') : runDir;
}

interface LoadedRun {
  readonly label: string;
  readonly dir: string;
  readonly experiment: string;
  readonly conversations: Map<string, ConversationRow>;
}

async function loadConversations(runDir: string): Promise<LoadedRun> {
  const manifest = readManifest(runDir);
  const label = runLabel(runDir);
  const conversations = new Map<string, ConversationRow>();
  for await (const { record } of readRecords(runDir, 'conversations')) {
    conversations.set(record.id, { run: label, experiment: manifest.experiment, record });
  }
  return { label, dir: runDir, experiment: manifest.experiment, conversations };
}

/** Swept fields in order of first appearance over the runs. */
function sweepFieldsOf(runs: readonly LoadedRun[]): string[] {
  const fields = new Set<string>();
  for (const run of runs) for (const row of run.conversations.values()) for (const field of Object.keys(row.record.sweep)) fields.add(field);
  return [...fields];
}

const isTurn = (event: RunEvent): event is TurnEvent | BlockedEvent => event.type === 'turn' || event.type === 'blocked';

/**
 * Writes the three CSV tables into `outDir` (created if need be).
 *
 * @throws InputError for a folder that is not a finished run (with the run it most likely meant).
 */
export async function exportCsvTables(runDirs: readonly string[], outDir: string): Promise<WrittenTable[]> {
  const runs: LoadedRun[] = [];
  for (const dir of runDirs) {
    const run = await loadConversations(dir);
    readMetrics(dir); // fails early, before any file is written, for a run that has not finished
    runs.push(run);
  }
  mkdirSync(outDir, { recursive: true });
  const fields = sweepFieldsOf(runs);
  const written: WrittenTable[] = [];
  const finish = <Row>(writer: CsvTableWriter<Row>, spec: TableSpec<Row>): void => {
    writer.close();
    written.push({ name: spec.name, file: writer.file, rows: writer.rows, spec: spec as unknown as TableSpec<never> });
  };

  const conversations = conversationTable(fields);
  const conversationWriter = new CsvTableWriter(join(outDir, 'conversations.csv'), conversations);
  for (const run of runs) for (const row of run.conversations.values()) conversationWriter.write(row);
  finish(conversationWriter, conversations);

  const turnWriter = new CsvTableWriter(join(outDir, 'turns.csv'), TURN_TABLE);
  for (const run of runs) {
    for await (const { record } of readRecords(run.dir, 'events')) {
      if (isTurn(record)) turnWriter.write({ run: run.label, event: record, conversation: run.conversations.get(record.conversation) });
    }
  }
  finish(turnWriter, TURN_TABLE);

  const metrics = metricTable(fields);
  const metricWriter = new CsvTableWriter(join(outDir, 'metrics.csv'), metrics);
  for (const run of runs) for (const row of metricRows(run.label, readMetrics(run.dir))) metricWriter.write(row);
  finish(metricWriter, metrics);
  return written;
}
