/** Runs an experiment in-process into a fresh temporary run directory (the runner's own API, no mocks). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../../src/runner/progress.ts';
import { runExperiment, type RunOutcome, type RunRequest } from '../../src/runner/run-experiment.ts';

export function tempDir(prefix = 'welfare-sim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function runFixture(experimentFile: string, overrides: Partial<RunRequest> = {}): Promise<RunOutcome> {
  const runsDir = tempDir();
  return runExperiment({
    experimentFile,
    out: join(runsDir, 'run'),
    runsDir,
    noCache: true,
    cacheDir: join(runsDir, '.cache'),
    env: {},
    now: () => new Date('2026-01-01T00:00:00Z'),
    progress: silentProgress,
    signal: new AbortController().signal,
    ...overrides,
  });
}

export function readRunFile(runDir: string, name: string): string {
  return readFileSync(join(runDir, name), 'utf8');
}

export function readJsonLines<T>(runDir: string, name: string): T[] {
  return readRunFile(runDir, name)
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}
