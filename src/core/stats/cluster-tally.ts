/**
 * Observations grouped by cluster. welfare-sim's unit of replication is the user (a scripted scenario, a persona,
 * a model-played or live user) meeting one model: repetitions of one scripted user are not independent draws —
 * a scripted user makes no random choices, so its repetitions often all end the same way. Every interval in
 * src/core/stats therefore treats (userKind:user, model) as the cluster.
 *
 * A tally keeps only the count, sum and sum of squares of each cluster: everything the ANOVA estimator of the
 * intra-cluster correlation and the clustered t interval need, with memory that grows with clusters, not records.
 */

/** The fields of a conversation record that fix its cluster. */
export interface ClusterFields {
  readonly userKind: string;
  readonly user: string;
  readonly model: string;
}

/** `userKind:user` and the model: the cluster of a conversation. */
export function clusterKey(record: ClusterFields): string {
  return `${record.userKind}:${record.user}\u0000${record.model}`;
}

export interface ClusterTally {
  readonly key: string;
  readonly n: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

/** Accumulates values into per-cluster tallies. */
export class ClusterTallies {
  private readonly byKey = new Map<string, { n: number; sum: number; sumOfSquares: number }>();

  /** Adds `value`, observed `times` times (1 unless given). */
  add(key: string, value: number, times = 1): void {
    const tally = this.byKey.get(key);
    if (tally === undefined) this.byKey.set(key, { n: times, sum: value * times, sumOfSquares: value * value * times });
    else {
      tally.n += times;
      tally.sum += value * times;
      tally.sumOfSquares += value * value * times;
    }
  }

  /** Tallies sorted by cluster key, so every statistic is independent of the order records arrived in. */
  tallies(): ClusterTally[] {
    return [...this.byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, t]) => ({ key, ...t }));
  }
}

/** Tallies from (cluster, value) pairs in one call. */
export function tallyByCluster(observations: Iterable<{ readonly cluster: string; readonly value: number }>): ClusterTally[] {
  const tallies = new ClusterTallies();
  for (const o of observations) tallies.add(o.cluster, o.value);
  return tallies.tallies();
}
