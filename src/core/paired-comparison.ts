/**
 * Paired differences between each policy and a baseline. Policies in one run share users, models and seeds
 * (common random numbers), so conversation k under policy A and under the baseline differ only by the policy.
 * Differences of rates use Newcombe's method 10, clustered on the user × model; differences of means the clustered
 * t interval (src/core/stats, docs/statistics.md). Neither is ever zero-width on a finite sample: when no pair
 * disagrees the rate interval still spans the bound on the discordant share, and a mean difference that is the same
 * in every pair has no interval (null bounds) rather than [0, 0].
 */
import { classGroup } from './labels.ts';
import type { ConversationRecord } from './records.ts';
import { clusterKey, round } from './statistics.ts';
import { pairedMeanDifference, pairedProportionDifference, type BinaryPair, type DifferencePair } from './stats/index.ts';

/** A paired difference with its 95% interval; null bounds when no interval can be built (see `interval`). */
export interface DifferenceSummary {
  /** Policy − baseline. */
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly pairs: number;
  /** Users × models the pairs came from. */
  readonly clusters: number;
  readonly interval: string;
}

export interface PairedDifference {
  readonly policy: string;
  readonly baseline: string;
  readonly model: string;
  readonly pairs: number;
  /** Difference (policy − baseline) in the share of end-eligible conversations ended. */
  readonly appropriateEndRate: DifferenceSummary | null;
  readonly falseEndRate: DifferenceSummary | null;
  readonly atRiskEndRate: DifferenceSummary | null;
  readonly distressExposure: DifferenceSummary | null;
  readonly vetoedEnds: DifferenceSummary | null;
}

const pairKey = (r: ConversationRecord): string => `${r.model}\u0000${r.userKind}:${r.user}\u0000${r.seed}`;

interface Acc {
  model: string;
  policy: string;
  pairs: number;
  appropriate: BinaryPair[];
  falseEnd: BinaryPair[];
  atRisk: BinaryPair[];
  distress: DifferencePair[];
  vetoes: DifferencePair[];
}

function rateDifference(pairs: readonly BinaryPair[]): DifferenceSummary | null {
  const d = pairedProportionDifference(pairs);
  if (d === null) return null;
  return { mean: round(d.difference), low: round(d.low), high: round(d.high), pairs: d.pairs, clusters: d.clusters, interval: 'newcombe-10-clustered' };
}

function meanDifference(pairs: readonly DifferencePair[]): DifferenceSummary | null {
  const d = pairedMeanDifference(pairs);
  if (d === null) return null;
  const r = (x: number | null): number | null => (x === null ? null : round(x));
  return { mean: round(d.mean), low: r(d.low), high: r(d.high), pairs: d.pairs, clusters: d.clusters, interval: d.interval };
}

export function pairedDifferences(records: readonly ConversationRecord[], baseline: string): PairedDifference[] {
  const completed = records.filter((r) => r.status === 'completed');
  const base = new Map<string, ConversationRecord>();
  for (const record of completed) if (record.policy === baseline) base.set(pairKey(record), record);

  const accs = new Map<string, Acc>();
  for (const record of completed) {
    if (record.policy === baseline) continue;
    const other = base.get(pairKey(record));
    if (!other) continue;
    const id = `${record.policy}\u0000${record.model}`;
    let acc = accs.get(id);
    if (!acc) {
      acc = { model: record.model, policy: record.policy, pairs: 0, appropriate: [], falseEnd: [], atRisk: [], distress: [], vetoes: [] };
      accs.set(id, acc);
    }
    acc.pairs += 1;
    const cluster = clusterKey(record);
    const pair: BinaryPair = { cluster, first: record.outcome !== 'not-ended', second: other.outcome !== 'not-ended' };
    const group = classGroup(record.class);
    if (group === 'end-eligible') acc.appropriate.push(pair);
    if (group === 'must-not-end') acc.falseEnd.push(pair);
    if (group === 'must-never-end') acc.atRisk.push(pair);
    acc.distress.push({ cluster, difference: record.distressExposure - other.distressExposure });
    acc.vetoes.push({ cluster, difference: record.vetoedEnds - other.vetoedEnds });
  }
  return [...accs.values()].map((a) => ({
    policy: a.policy,
    baseline,
    model: a.model,
    pairs: a.pairs,
    appropriateEndRate: rateDifference(a.appropriate),
    falseEndRate: rateDifference(a.falseEnd),
    atRiskEndRate: rateDifference(a.atRisk),
    distressExposure: meanDifference(a.distress),
    vetoedEnds: meanDifference(a.vetoes),
  }));
}
