/**
 * Checks that a set of run directories are the complete shards of one experiment before anything is merged:
 * same experiment, same configuration hash, same shard count, each shard once, none missing, all finished.
 * Every problem is collected, so the researcher sees them all in one pass.
 */
import { InputError, type InputProblem } from '../common/input-error.ts';
import { readManifest, type RunManifest } from './manifest.ts';
import { runFile } from './run-directory.ts';

export interface ShardRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  /** 1-based shard index; a run without --shard is shard 1 of 1. */
  readonly index: number;
}

export interface ShardSet {
  readonly experiment: string;
  readonly configHash: string;
  readonly gridSize: number;
  readonly count: number;
  /** The shards ordered by index: shards[i] is shard i + 1. */
  readonly shards: readonly ShardRun[];
}

/** What the pseudo-file of whole-set problems is called in messages. */
export const MERGE_COMMAND = 'welfare-sim merge';

/**
 * Reads every manifest and returns the shards in index order, or throws one InputError listing every problem.
 *
 * @example checkShardSet(['runs/shard-1', 'runs/shard-2']) // → { count: 2, shards: [...] }
 */
export function checkShardSet(dirs: readonly string[]): ShardSet {
  const problems: InputProblem[] = [];
  const runs: ShardRun[] = [];
  for (const dir of dirs) {
    try {
      const manifest = readManifest(dir);
      runs.push({ dir, manifest, index: manifest.shard?.index ?? 1 });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  const first = runs[0];
  if (first === undefined) {
    if (problems.length === 0) problems.push({ file: MERGE_COMMAND, path: '', message: 'expected at least one shard run directory, found none' });
    throw new InputError(problems);
  }
  const count = first.manifest.shard?.count ?? 1;
  const byIndex = new Map<number, ShardRun>();
  for (const run of runs) {
    const file = runFile(run.dir, 'manifest');
    const expect = (path: string, expected: string | number, found: string | number, hint = ''): void => {
      if (expected !== found) {
        problems.push({ file, path, message: `expected ${JSON.stringify(expected)} (as in ${first.dir}), found ${JSON.stringify(found)}${hint}` });
      }
    };
    expect('experiment', first.manifest.experiment, run.manifest.experiment, '; shards must come from the same experiment');
    if (run.manifest.experiment === first.manifest.experiment) {
      expect('configHash', first.manifest.configHash, run.manifest.configHash, '; the experiment or one of its parts changed between shards');
    }
    const runCount = run.manifest.shard?.count ?? 1;
    expect('shard.count', count, runCount, run.manifest.shard === null ? ' (a whole run, not a shard)' : '');
    if (run.manifest.status !== 'complete') {
      problems.push({ file, path: 'status', message: `expected "complete", found ${JSON.stringify(run.manifest.status)}; finish it with: welfare-sim run --resume ${run.dir}` });
    }
    const twin = byIndex.get(run.index);
    const sameRun = runCount === count && run.manifest.experiment === first.manifest.experiment && run.manifest.configHash === first.manifest.configHash;
    if (!sameRun) {
      // A shard of something else fills no slot of this set; the mismatch above says what is wrong.
    } else if (twin) {
      problems.push({ file, path: 'shard.index', message: `expected each shard once, found shard ${run.index}/${count} again (also in ${twin.dir})` });
    } else {
      byIndex.set(run.index, run);
    }
  }
  const missing: string[] = [];
  for (let index = 1; index <= count; index++) if (!byIndex.has(index)) missing.push(`${index}/${count}`);
  if (missing.length > 0) {
    const runs = missing.map((shard) => `--shard ${shard}`).join(', ');
    problems.push({
      file: MERGE_COMMAND,
      path: 'shards',
      message: `expected all ${count} shards of ${first.manifest.experiment}, found no shard ${missing.join(', ')}; run ${missing.length === 1 ? 'it' : 'them'} with ${runs}`,
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    experiment: first.manifest.experiment,
    configHash: first.manifest.configHash,
    gridSize: first.manifest.gridSize,
    count,
    shards: [...byIndex.values()].sort((a, b) => a.index - b.index),
  };
}
