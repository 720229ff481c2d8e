/**
 * Aggregates conversation records into metrics.json (README, "Metrics"): one group per (policy, model, class)
 * and one summary per (policy, model) with the rates policy authors compare. Streaming: `add` one record at a
 * time; memory grows with the number of groups, not of conversations (plus the end turns kept for medians).
 */
import type { ConversationState } from './conversation-events.ts';
import { classFigure } from './class-figures.ts';
import { classGroup, type ScenarioClass } from './labels.ts';
import { notesKey } from './measurability-config.ts';
import { FIGURE_OF_GROUP, type NotMeasured, type RateFigure } from './measurability.ts';
import type { ConversationRecord, MetricsFile, MetricsGroup, PolicySummary } from './records.ts';
import { RECORD_FORMAT_VERSION } from './records.ts';
import { clusterKey, MeanTally, median, RateTally, TimeToEndTally } from './statistics.ts';

/** The per-conversation welfare measures both groups and policy summaries average. */
class WelfareMeans {
  readonly distressExposure = new MeanTally();
  readonly distressPerTurn = new MeanTally();
  readonly circumventionDistressExposure = new MeanTally();
  readonly peakDistress = new MeanTally();
  readonly vetoedEnds = new MeanTally();
  readonly preferEndShare = new MeanTally();
  readonly blockedAfterEnd = new MeanTally();
  readonly branches = new MeanTally();

  /** Intervals are clustered on the record's user × model (src/core/statistics.ts). */
  add(record: ConversationRecord): void {
    const cluster = clusterKey(record);
    this.distressExposure.add(cluster, record.distressExposure);
    this.distressPerTurn.add(cluster, record.distressPerTurn);
    this.circumventionDistressExposure.add(cluster, record.circumventionDistressExposure);
    this.peakDistress.add(cluster, record.peakDistress);
    this.vetoedEnds.add(cluster, record.vetoedEnds);
    this.preferEndShare.add(cluster, record.turns > 0 ? record.preferEndTurns / record.turns : 0);
    this.blockedAfterEnd.add(cluster, record.blockedAfterEnd);
    this.branches.add(cluster, record.branches);
  }

  summaries() {
    return {
      distressExposure: this.distressExposure.summary(),
      distressPerTurn: this.distressPerTurn.summary(),
      circumventionDistressExposure: this.circumventionDistressExposure.summary(),
      peakDistress: this.peakDistress.summary(),
      vetoedEnds: this.vetoedEnds.summary(),
      preferEndShare: this.preferEndShare.summary(),
      blockedAfterEnd: this.blockedAfterEnd.summary(),
      branches: this.branches.summary(),
    };
  }
}

interface GroupAccumulator {
  readonly key: { policy: string; basePolicy: string; sweep: Readonly<Record<string, number>>; model: string; class: ScenarioClass };
  conversations: number;
  errored: number;
  ended: number;
  outcomes: Record<string, number>;
  turnsToEnd: number[];
  redirectsBeforeEnd: number[];
  endRate: RateTally;
  timeToEnd: TimeToEndTally;
  means: WelfareMeans;
  newChats: MeanTally;
  occupancy: Record<ConversationState, number>;
}

const RATE_TALLY = {
  appropriateEndRate: 'eligible',
  falseEndRate: 'mustNotEnd',
  atRiskEndRate: 'atRisk',
  userRequestHonouredRate: 'userRequests',
} as const satisfies Record<RateFigure, keyof PolicyAccumulator>;

interface PolicyAccumulator {
  readonly key: { policy: string; basePolicy: string; sweep: Readonly<Record<string, number>>; model: string };
  conversations: number;
  eligible: RateTally;
  mustNotEnd: RateTally;
  atRisk: RateTally;
  atRiskLateDisclosure: RateTally;
  userRequests: RateTally;
  userRequestsVetoed: RateTally;
  userRequestsDeclined: RateTally;
  /** Invariant and violation counts: ends the gate permitted on a user it saw at risk, warnings to users at risk. */
  gateAtRiskEnds: number;
  atRiskWarnings: number;
  censored: number;
  timeToEnd: TimeToEndTally;
  means: WelfareMeans;
}

export class MetricsAccumulator {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly policies = new Map<string, PolicyAccumulator>();

  /** `notMeasured`: the figures each (policy, model) cannot make non-zero, by `notesKey` (measurability-config.ts). */
  constructor(
    private readonly experiment: string,
    private readonly notMeasured: ReadonlyMap<string, NotMeasured> = new Map(),
  ) {}

  add(record: ConversationRecord): void {
    const group = this.group(record);
    group.conversations += 1;
    if (record.status === 'errored') {
      // An errored conversation is counted, never silently dropped, but it has no outcome to rate.
      group.errored += 1;
      return;
    }
    const ended = record.outcome !== 'not-ended';
    if (ended) {
      group.ended += 1;
      if (record.turnsToEnd !== null) group.turnsToEnd.push(record.turnsToEnd);
      if (record.redirectsBeforeEnd !== null) group.redirectsBeforeEnd.push(record.redirectsBeforeEnd);
    }
    const cluster = clusterKey(record);
    group.endRate.add(cluster, ended);
    group.timeToEnd.add(record);
    group.outcomes[record.outcome] = (group.outcomes[record.outcome] ?? 0) + 1;
    group.means.add(record);
    group.newChats.add(cluster, record.newChats);
    for (const state of Object.keys(group.occupancy) as ConversationState[]) group.occupancy[state] += record.occupancy[state];

    const policy = this.policy(record);
    policy.conversations += 1;
    policy.timeToEnd.add(record);
    // The four headline rates: which conversations count and what a success is (src/core/class-figures.ts).
    const counted = classFigure(record);
    if (counted !== null) policy[RATE_TALLY[counted.figure]].add(cluster, counted.success);
    if (classGroup(record.class) === 'must-never-end') policy.atRiskLateDisclosure.add(cluster, record.riskDisclosedAfterEnd);
    if (counted?.figure === 'userRequestHonouredRate') {
      // A request that was not honoured: the gate refused the model's end on it, or the model did not act.
      const refused = !record.userRequestHonoured;
      policy.userRequestsVetoed.add(cluster, refused && record.endRequestsVetoed > 0);
      policy.userRequestsDeclined.add(cluster, refused && record.endRequestsVetoed === 0);
    }
    policy.gateAtRiskEnds += record.gateAtRiskEnds;
    policy.atRiskWarnings += record.atRiskWarnings;
    if (record.censored) policy.censored += 1;
    policy.means.add(record);
  }

  /** Groups and summaries in order of first appearance: canonical input order gives canonical output. */
  result(): MetricsFile {
    const groups: MetricsGroup[] = [...this.groups.values()].map((g) => ({
      ...g.key,
      ...this.groupNote(g.key),
      conversations: g.conversations,
      errored: g.errored,
      ended: g.ended,
      endRate: g.endRate.summary() ?? { value: 0, low: 0, high: 1, successes: 0, trials: 0 },
      outcomes: g.outcomes,
      turnsToEnd: { median: median(g.turnsToEnd) },
      redirectsBeforeEnd: { median: median(g.redirectsBeforeEnd) },
      ...g.means.summaries(),
      newChats: g.newChats.summary(),
      occupancy: g.occupancy,
      ...optional('endedBeforeTurn7', g.timeToEnd.endedBeforeTurn7()),
    }));
    const policies: PolicySummary[] = [...this.policies.values()].map((p) => ({
      ...p.key,
      conversations: p.conversations,
      appropriateEndRate: p.eligible.summary(),
      falseEndRate: p.mustNotEnd.summary(),
      atRiskEndRate: p.atRisk.summary(),
      atRiskLateDisclosureEndRate: p.atRiskLateDisclosure.summary(),
      userRequestHonouredRate: p.userRequests.summary(),
      userRequestVetoedRate: p.userRequestsVetoed.summary(),
      userRequestDeclinedRate: p.userRequestsDeclined.summary(),
      gateAtRiskEnds: p.gateAtRiskEnds,
      atRiskWarnings: p.atRiskWarnings,
      censored: p.censored,
      ...p.means.summaries(),
      ...optional('timeToEnd', p.timeToEnd.summary()),
      ...this.policyNote(p.key),
    }));
    return { version: RECORD_FORMAT_VERSION, experiment: this.experiment, groups, policies };
  }

  private policyNote(key: { policy: string; model: string }): { notMeasured?: NotMeasured } {
    const note = this.notMeasured.get(notesKey(key.policy, key.model));
    return note === undefined ? {} : { notMeasured: note };
  }

  private groupNote(key: { policy: string; model: string; class: ScenarioClass }): { notMeasured?: string } {
    const reason = this.notMeasured.get(notesKey(key.policy, key.model))?.[FIGURE_OF_GROUP[classGroup(key.class)]];
    return reason === undefined ? {} : { notMeasured: reason };
  }

  private group(record: ConversationRecord): GroupAccumulator {
    const id = `${record.policy}\u0000${record.model}\u0000${record.class}`;
    let group = this.groups.get(id);
    if (!group) {
      group = {
        key: { policy: record.policy, basePolicy: record.basePolicy, sweep: record.sweep, model: record.model, class: record.class },
        conversations: 0,
        errored: 0,
        ended: 0,
        outcomes: {},
        turnsToEnd: [],
        redirectsBeforeEnd: [],
        endRate: new RateTally(),
        timeToEnd: new TimeToEndTally(),
        means: new WelfareMeans(),
        newChats: new MeanTally(),
        occupancy: { engaged: 0, redirecting: 0, ended: 0, branched: 0 },
      };
      this.groups.set(id, group);
    }
    return group;
  }

  private policy(record: ConversationRecord): PolicyAccumulator {
    const id = `${record.policy}\u0000${record.model}`;
    let policy = this.policies.get(id);
    if (!policy) {
      policy = {
        key: { policy: record.policy, basePolicy: record.basePolicy, sweep: record.sweep, model: record.model },
        conversations: 0,
        eligible: new RateTally(),
        mustNotEnd: new RateTally(),
        atRisk: new RateTally(),
        atRiskLateDisclosure: new RateTally(),
        userRequests: new RateTally(),
        userRequestsVetoed: new RateTally(),
        userRequestsDeclined: new RateTally(),
        gateAtRiskEnds: 0,
        atRiskWarnings: 0,
        censored: 0,
        timeToEnd: new TimeToEndTally(),
        means: new WelfareMeans(),
      };
      this.policies.set(id, policy);
    }
    return policy;
  }
}

const optional = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V };

/** metrics.json in one call, for a finished set of records in canonical order. */
export function computeMetrics(
  experiment: string,
  records: Iterable<ConversationRecord>,
  notMeasured?: ReadonlyMap<string, NotMeasured>,
): MetricsFile {
  const accumulator = new MetricsAccumulator(experiment, notMeasured);
  for (const record of records) accumulator.add(record);
  return accumulator.result();
}
