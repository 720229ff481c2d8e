/**
 * Streams a run's records into the small aggregates charts are drawn from (run-data.ts). Pure: the caller
 * feeds conversations first (all of them), then events; load-run.ts does the reading.
 */
import { classFigure } from '../core/class-figures.ts';
import type { RateFigure } from '../core/measurability.ts';
import type { ScenarioClass } from '../core/labels.ts';
import { CONVERSATION_OUTCOMES } from '../core/records.ts';
import type { ConversationRecord, MetricsFile, RunEvent } from '../core/records.ts';
import { clusterKey, MeanTally, RateTally, TimeToEndTally } from '../core/statistics.ts';
import { CONVERSATION_STATES } from '../core/conversation-events.ts';
import type { Arm, ArmSummary, DistressPoint, ManifestSummary, OccupancyCell, OutcomeCell } from './run-data.ts';
import type { PreferenceCell, RunData, TranscriptSample } from './run-data.ts';
import { chooseTranscriptSample } from './transcript-sample.ts';

export interface AggregateOptions {
  /** Conversations to keep whole for the transcript browser (before the byte budget trims them). */
  readonly sampleSize?: number;
  /** Upper bound on the JSON size of the kept transcripts, so the page stays small. */
  readonly sampleBytes?: number;
}

interface ConversationKey {
  readonly arm: number;
  readonly class: ScenarioClass;
  /** The user × model the conversation's intervals cluster on. */
  readonly cluster: string;
}

const armKey = (record: ConversationRecord): string => `${record.policy}\u0000${record.model}`;

export class RunAggregator {
  private readonly conversations: ConversationRecord[] = [];
  private keys = new Map<string, ConversationKey>();
  private arms: Arm[] = [];
  private sampleIds = new Set<string>();
  private readonly sampleEvents = new Map<string, { events: RunEvent[]; bytes: number }>();
  private readonly distress = new Map<string, MeanTally>();
  private readonly preference = new Map<string, { turns: number; preferEnd: number; vetoes: number }>();
  private turnEvents = 0;
  private sealed = false;

  constructor(private readonly options: AggregateOptions = {}) {}

  addConversation(record: ConversationRecord): void {
    if (this.sealed) throw new Error('RunAggregator: conversations must all be added before the first event');
    this.conversations.push(record);
  }

  /** Fixes the arms and the transcript sample; called once, before events (addEvent calls it if needed). */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    const models = new Set(this.conversations.map((c) => c.model));
    const armIndex = new Map<string, number>();
    for (const record of this.conversations) {
      const key = armKey(record);
      if (armIndex.has(key)) continue;
      armIndex.set(key, this.arms.length);
      const label = models.size > 1 ? `${record.policy} · ${record.model}` : record.policy;
      this.arms.push({ label, policy: record.policy, basePolicy: record.basePolicy, model: record.model, sweep: record.sweep });
    }
    for (const record of this.conversations) {
      this.keys.set(record.id, { arm: armIndex.get(armKey(record)) ?? 0, class: record.class, cluster: clusterKey(record) });
    }
    this.sampleIds = new Set(chooseTranscriptSample(this.conversations, this.options.sampleSize ?? 150));
  }

  addEvent(event: RunEvent, lineBytes = 0): void {
    this.seal();
    const key = this.keys.get(event.conversation);
    if (this.sampleIds.has(event.conversation)) {
      const kept = this.sampleEvents.get(event.conversation) ?? { events: [], bytes: 0 };
      kept.events.push(event);
      kept.bytes += lineBytes || JSON.stringify(event).length;
      this.sampleEvents.set(event.conversation, kept);
    }
    if (event.type !== 'turn' || key === undefined) return;
    this.turnEvents += 1;
    if (event.chat === 0 && event.branch === 0) {
      const distressKey = `${key.arm}\u0000${key.class}\u0000${event.turn}`;
      let accumulator = this.distress.get(distressKey);
      if (accumulator === undefined) this.distress.set(distressKey, (accumulator = new MeanTally()));
      accumulator.add(key.cluster, event.model.signals.distress.value);
    }
    const cellKey = `${event.user.labels.category}\u0000${event.turn}`;
    const cell = this.preference.get(cellKey) ?? { turns: 0, preferEnd: 0, vetoes: 0 };
    cell.turns += 1;
    if (event.model.signals.preference.choice === 'end') cell.preferEnd += 1;
    if (event.gate.decision === 'vetoed') cell.vetoes += 1;
    this.preference.set(cellKey, cell);
  }

  finish(manifest: ManifestSummary, metrics: MetricsFile | null): RunData {
    this.seal();
    const transcripts = this.keptTranscripts();
    return {
      manifest,
      metrics,
      arms: this.arms,
      classes: [...new Set(this.conversations.map((c) => c.class))].sort(),
      sweepFields: [...new Set(this.arms.flatMap((arm) => Object.keys(arm.sweep)))].sort(),
      distressByTurn: this.distressPoints(),
      outcomes: this.outcomeCells(),
      armSummaries: this.armSummaries(),
      occupancy: this.occupancyCells(),
      preference: this.preferenceCells(),
      transcripts,
      totals: {
        conversations: this.conversations.length,
        errored: this.conversations.filter((c) => c.status === 'errored').length,
        turnEvents: this.turnEvents,
        sampledConversations: transcripts.length,
      },
    };
  }

  private byArm(): ConversationRecord[][] {
    const groups: ConversationRecord[][] = this.arms.map(() => []);
    for (const record of this.conversations) groups[this.keys.get(record.id)?.arm ?? 0]?.push(record);
    return groups;
  }

  private distressPoints(): DistressPoint[] {
    const points: DistressPoint[] = [];
    for (const [key, accumulator] of this.distress) {
      const [arm, cls, turn] = key.split('\u0000');
      const summary = accumulator.summary();
      points.push({
        arm: this.arms[Number(arm)]?.label ?? '',
        class: cls as ScenarioClass,
        turn: Number(turn),
        n: accumulator.n,
        mean: summary.mean,
        low: summary.low === null ? null : Math.max(0, summary.low),
        high: summary.high === null ? null : Math.min(1, summary.high),
      });
    }
    return points.sort((a, b) => a.arm.localeCompare(b.arm) || a.class.localeCompare(b.class) || a.turn - b.turn);
  }

  private outcomeCells(): OutcomeCell[] {
    const cells: OutcomeCell[] = [];
    this.byArm().forEach((records, armIndex) => {
      const arm = this.arms[armIndex]?.label ?? '';
      const classes = [...new Set(records.map((r) => r.class))].sort();
      for (const cls of classes) {
        const ofClass = records.filter((r) => r.class === cls && r.status === 'completed');
        for (const outcome of CONVERSATION_OUTCOMES) {
          const tally = new RateTally();
          for (const r of ofClass) tally.add(clusterKey(r), r.outcome === outcome);
          const rate = tally.summary();
          if (rate === null) continue;
          const count = rate.successes;
          cells.push({ arm, class: cls, outcome, count, total: ofClass.length, share: rate.value, low: rate.low, high: rate.high });
        }
      }
    });
    return cells;
  }

  private armSummaries(): ArmSummary[] {
    return this.byArm().map((records, armIndex) => {
      const arm = this.arms[armIndex] as Arm;
      const completed = records.filter((r) => r.status === 'completed');
      // The same conversations and successes as metrics.json (src/core/class-figures.ts).
      const rateIn = (figure: RateFigure): ReturnType<RateTally['summary']> => {
        const tally = new RateTally();
        for (const r of completed) {
          const counted = classFigure(r);
          if (counted?.figure === figure) tally.add(clusterKey(r), counted.success);
        }
        return tally.summary();
      };
      const exposure = new MeanTally();
      const vetoed = new MeanTally();
      const timeToEnd = new TimeToEndTally();
      for (const record of completed) {
        exposure.add(clusterKey(record), record.distressExposure);
        vetoed.add(clusterKey(record), record.vetoedEnds);
        timeToEnd.add(record);
      }
      return {
        ...arm,
        conversations: records.length,
        errored: records.length - completed.length,
        appropriateEndRate: rateIn('appropriateEndRate'),
        falseEndRate: rateIn('falseEndRate'),
        atRiskEndRate: rateIn('atRiskEndRate'),
        gateAtRiskEnds: completed.reduce((sum, r) => sum + (r.gateAtRiskEnds ?? 0), 0),
        atRiskWarnings: completed.reduce((sum, r) => sum + (r.atRiskWarnings ?? 0), 0),
        distressExposure: exposure.summary(),
        vetoedEnds: vetoed.summary(),
        timeToEnd: timeToEnd.summary(),
      };
    });
  }

  private occupancyCells(): OccupancyCell[] {
    return this.byArm().flatMap((records, armIndex) => {
      const totals = CONVERSATION_STATES.map((state) => records.reduce((sum, r) => sum + (r.occupancy[state] ?? 0), 0));
      const all = totals.reduce((a, b) => a + b, 0);
      return CONVERSATION_STATES.map((state, i) => ({
        arm: this.arms[armIndex]?.label ?? '',
        state,
        turns: totals[i] ?? 0,
        share: all === 0 ? 0 : (totals[i] ?? 0) / all,
      }));
    });
  }

  private preferenceCells(): PreferenceCell[] {
    return [...this.preference]
      .map(([key, cell]) => {
        const [category = '', turn] = key.split('\u0000');
        return { category, turn: Number(turn), ...cell, share: cell.preferEnd / cell.turns };
      })
      .sort((a, b) => a.category.localeCompare(b.category) || a.turn - b.turn);
  }

  /** The sampled transcripts, trimmed to the byte budget in sample priority order, then in grid order. */
  private keptTranscripts(): TranscriptSample[] {
    const budget = this.options.sampleBytes ?? 2_000_000;
    const byId = new Map(this.conversations.map((c) => [c.id, c]));
    const kept: TranscriptSample[] = [];
    let bytes = 0;
    for (const id of this.sampleIds) {
      const record = byId.get(id);
      const events = this.sampleEvents.get(id) ?? { events: [], bytes: 0 };
      if (record === undefined || bytes + events.bytes > budget) continue;
      bytes += events.bytes;
      kept.push({ record, events: events.events });
    }
    return kept.sort((a, b) => a.record.index - b.record.index);
  }
}
