/** The manifest a new run starts with: what is run, by which versions, nothing done yet. */
import { configHash, type RunManifest } from '../store/manifest.ts';
import { runtimeVersions, TOOL_VERSION } from './versions.ts';

export interface NewRun {
  readonly experiment: string;
  readonly experimentFile: string;
  readonly config: unknown;
  readonly seed: number;
  readonly shard: RunManifest['shard'];
  readonly planned: number;
  readonly gridSize: number;
  readonly startedAt: Date;
}

export function newRunManifest(run: NewRun): RunManifest {
  return {
    formatVersion: 1,
    tool: { name: 'welfare-sim', version: TOOL_VERSION },
    experiment: run.experiment,
    experimentFile: run.experimentFile,
    configHash: configHash(run.config),
    seed: run.seed,
    shard: run.shard,
    planned: run.planned,
    gridSize: run.gridSize,
    startedAt: run.startedAt.toISOString(),
    resumedAt: [],
    finishedAt: null,
    status: 'running',
    counts: { completed: 0, errored: 0 },
    modelCalls: {},
    versions: runtimeVersions(),
    config: run.config,
  };
}
