/** `welfare-sim report RUN_DIR` and the end of `run`: charts under charts/ and a self-contained report.html. */
import { rename, writeFile } from 'node:fs/promises';
import { runFile } from '../store/run-directory.ts';
import { renderReportPage } from './html/report-page.ts';
import { loadRun } from './load-run.ts';
import { writeCharts } from './write-charts.ts';

export interface ReportOptions {
  /** Also write PNGs next to the SVGs (default true). */
  readonly png?: boolean;
}

/**
 * Reads a run directory, writes `charts/*.vl.json|svg|png` and `report.html` into it, and returns the page's
 * path. The page is written to a temporary name and renamed, so a failure never leaves half a report.
 *
 * @example
 *   const page = await writeReport('runs/quickstart/2026-01-01T00-00-00Z');
 */
export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<string> {
  const data = await loadRun(runDir);
  const charts = await writeCharts(runDir, data, options);
  const path = runFile(runDir, 'report');
  const partial = `${path}.partial`;
  await writeFile(partial, renderReportPage(data, charts));
  await rename(partial, path);
  return path;
}
