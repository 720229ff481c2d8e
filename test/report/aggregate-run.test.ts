import { describe, expect, it } from 'vitest';
import { RunAggregator } from '../../src/report/aggregate-run.ts';
import { summariseManifest } from '../../src/report/load-run.ts';
import { fixtureRecords } from './fixture-run.ts';

function aggregate(sampleSize?: number, sampleBytes?: number) {
  const { conversations, events } = fixtureRecords();
  const aggregator = new RunAggregator({ sampleSize, sampleBytes });
  for (const record of conversations) aggregator.addConversation(record);
  for (const event of events) aggregator.addEvent(event);
  return { data: aggregator.finish(summariseManifest({ experiment: 'fixture' }), null), conversations, events };
}

describe('RunAggregator', () => {
  const { data, conversations, events } = aggregate();

  it('finds the arms, classes and sweep fields', () => {
    expect(data.arms.map((a) => a.label)).toEqual(['last-resort[minRedirects=1]', 'last-resort[minRedirects=3]']);
    expect(data.classes).toEqual(['abusive', 'at-risk', 'benign', 'emotional']);
    expect(data.sweepFields).toEqual(['minRedirects']);
    expect(data.totals).toEqual({ conversations: 24, errored: 0, turnEvents: events.filter((e) => e.type === 'turn').length, sampledConversations: 24 });
  });

  it('counts outcomes per (arm, class) with intervals that bracket the share', () => {
    const abusive = data.outcomes.filter((c) => c.class === 'abusive' && c.outcome === 'ended-by-model');
    expect(abusive.map((c) => [c.arm, c.count, c.total])).toEqual([
      ['last-resort[minRedirects=1]', 3, 3],
      ['last-resort[minRedirects=3]', 3, 3],
    ]);
    for (const cell of data.outcomes) expect(cell.low <= cell.share && cell.share <= cell.high).toBe(true);
  });

  it('means distress per turn over exactly the original-line turns', () => {
    const point = data.distressByTurn.find((p) => p.arm === 'last-resort[minRedirects=1]' && p.class === 'abusive' && p.turn === 1);
    const ids = new Set(conversations.filter((c) => c.class === 'abusive' && c.sweep.minRedirects === 1).map((c) => c.id));
    const values = events.flatMap((e) => (e.type === 'turn' && e.turn === 1 && e.branch === 0 && e.chat === 0 && ids.has(e.conversation) ? [e.model.signals.distress.value] : []));
    expect(point?.n).toBe(3);
    expect(point?.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6); // means are rounded to 6 decimals, like metrics.json
  });

  it('summarises false and appropriate ends per arm', () => {
    const first = data.armSummaries[0];
    expect(first?.appropriateEndRate?.successes).toBe(3);
    expect(first?.appropriateEndRate?.trials).toBe(3);
    expect(first?.falseEndRate?.trials).toBe(6);
    expect(first?.atRiskEndRate?.successes).toBe(0);
  });

  it('counts vetoed ends on the preference heatmap', () => {
    const vetoes = data.preference.reduce((sum, cell) => sum + cell.vetoes, 0);
    expect(vetoes).toBe(conversations.reduce((sum, c) => sum + c.vetoedEnds, 0));
    expect(vetoes).toBeGreaterThan(0);
  });

  it('keeps transcripts within the byte budget', () => {
    const { data: small } = aggregate(10, 3000);
    expect(small.transcripts.length).toBeGreaterThan(0);
    const bytes = small.transcripts.reduce((sum, t) => sum + t.events.reduce((s, e) => s + JSON.stringify(e).length, 0), 0);
    expect(bytes).toBeLessThanOrEqual(3000);
    expect(small.transcripts.length).toBeLessThan(10);
  });
});
