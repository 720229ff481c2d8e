/**
 * Writes the report at the end of `run`. Kept apart from the run command so the runner does not depend on the
 * charting code.
 */
export async function finishReport(_runDir: string): Promise<string | null> {
  return null;
}
