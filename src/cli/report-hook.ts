/**
 * Writes the report at the end of `run`. Kept apart from the run command so the runner does not depend on the
 * charting code.
 */

/** Writes charts/ and report.html into the run directory and returns the page's path. */
export async function finishReport(runDir: string): Promise<string | null> {
  // Loaded on demand: the charting libraries are heavy, and most commands never draw.
  const { writeReport } = await import('../report/write-report.ts');
  return writeReport(runDir);
}
