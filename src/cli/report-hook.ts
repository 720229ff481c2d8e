/**
 * Writes the report at the end of `run`. Kept apart from the run command so the runner does not depend on the
 * charting code.
 */
import { writeReport } from '../report/write-report.ts';

/** Writes charts/ and report.html into the run directory and returns the page's path. */
export async function finishReport(runDir: string): Promise<string | null> {
  return writeReport(runDir);
}
