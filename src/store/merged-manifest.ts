/**
 * The manifest of a merged run: the shards' common configuration, no shard, the union of their counts and model
 * calls, and where each shard came from. Built from the manifests alone, so merging twice gives the same file.
 */
import type { ModelCallStats } from '../common/model-call-stats.ts';
import type { RunManifest } from './manifest.ts';
import type { ShardSet } from './shard-set.ts';

export function mergedManifest(set: ShardSet, counts: { readonly completed: number; readonly errored: number }): RunManifest {
  const manifests = set.shards.map((shard) => shard.manifest);
  const first = manifests[0] as RunManifest;
  const startedAt = manifests.map((m) => m.startedAt).sort()[0] as string;
  // The merged data is finished when its last shard finished (all are complete, so all have a finishedAt).
  const finishedAt = manifests.map((m) => m.finishedAt ?? '').sort().at(-1) ?? null;
  return {
    ...first,
    shard: null,
    planned: set.gridSize,
    startedAt,
    resumedAt: manifests.flatMap((m) => m.resumedAt).sort(),
    finishedAt,
    status: 'complete',
    counts,
    modelCalls: sumModelCalls(manifests.map((m) => m.modelCalls)),
    mergedFrom: set.shards.map(({ dir, manifest }) => ({
      dir,
      shard: manifest.shard,
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
      counts: manifest.counts,
      versions: manifest.versions,
    })),
  };
}

/** Calls, cache hits, tokens and cost per model, added over the shards. */
export function sumModelCalls(all: readonly Readonly<Record<string, ModelCallStats>>[]): Record<string, ModelCallStats> {
  const sum: Record<string, ModelCallStats> = {};
  for (const calls of all) {
    for (const [model, stats] of Object.entries(calls)) {
      const before = sum[model];
      sum[model] = before
        ? {
            calls: before.calls + stats.calls,
            cacheHits: before.cacheHits + stats.cacheHits,
            inputTokens: before.inputTokens + stats.inputTokens,
            outputTokens: before.outputTokens + stats.outputTokens,
            estimatedCostUsd: before.estimatedCostUsd + stats.estimatedCostUsd,
          }
        : { ...stats };
    }
  }
  return sum;
}
