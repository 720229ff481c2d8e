import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RunAggregator } from '../../../src/report/aggregate-run.ts';
import { summariseManifest } from '../../../src/report/load-run.ts';
import { CHARTS, buildCharts } from '../../../src/report/charts/index.ts';
import { paretoPoints } from '../../../src/report/charts/pareto-frontier.ts';
import { thresholdCurvePoints } from '../../../src/report/charts/threshold-curves.ts';
import { timeToEndPoints } from '../../../src/report/charts/time-to-end.ts';
import type { RunData } from '../../../src/report/run-data.ts';
import { fixtureRecords } from '../fixture-run.ts';

const require = createRequire(import.meta.url);
const schema: unknown = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema as object);

function fixtureData(options: Parameters<typeof fixtureRecords>[0] = {}): RunData {
  const { conversations, events } = fixtureRecords(options);
  const aggregator = new RunAggregator();
  for (const record of conversations) aggregator.addConversation(record);
  for (const event of events) aggregator.addEvent(event);
  return aggregator.finish(summariseManifest({ experiment: 'fixture' }), null);
}

describe('chart specs', () => {
  const data = fixtureData();
  const charts = buildCharts(data);

  it('builds every chart for a swept run', () => {
    expect(charts.map((c) => c.name)).toEqual(CHARTS.map((c) => c.name));
  });

  it.each(CHARTS.map((c) => c.name))('%s validates against the vega-lite JSON schema', (name) => {
    const chart = charts.find((c) => c.name === name);
    const valid = validate(chart?.spec);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a broken spec (the validator is live)', () => {
    expect(validate({ mark: 'no-such-mark', data: { values: [] } })).toBe(false);
  });

  it('draws time to end as a non-decreasing share ended per arm, starting at 0 on turn 0, bands around it', () => {
    const points = timeToEndPoints(data);
    for (const arm of data.armSummaries) {
      const curve = points.filter((p) => p.arm === arm.label);
      expect(curve[0]).toMatchObject({ turn: 0, ended: 0 });
      for (let i = 1; i < curve.length; i++) expect(curve[i]?.ended ?? 0).toBeGreaterThanOrEqual(curve[i - 1]?.ended ?? 0);
      for (const p of curve) expect(p.low <= p.ended + 1e-9 && p.ended <= p.high + 1e-9).toBe(true);
      // the share ended by turn 6 is the "ended before turn 7" point
      const six = curve.find((p) => p.turn === 6);
      if (six !== undefined) expect(arm.timeToEnd?.endedBeforeTurn7.value).toBeCloseTo(six.ended, 6);
      // every completed conversation is on the curve, ended or censored
      const completed = arm.conversations - arm.errored;
      expect(arm.timeToEnd?.conversations).toBe(completed);
    }
  });

  it('skips threshold curves when the run has no sweep', () => {
    const unswept = fixtureData({ minRedirects: [2] });
    const stripped = { ...unswept, sweepFields: [] };
    expect(buildCharts(stripped).map((c) => c.name)).not.toContain('threshold-curves');
  });

  it('puts one threshold point per (field, arm, metric)', () => {
    const points = thresholdCurvePoints(data);
    expect(points.length).toBe(2 * 3);
    expect(new Set(points.map((p) => p.series))).toEqual(new Set(['last-resort']));
    const falseEnds = points.filter((p) => p.metric === 'false-end rate').map((p) => [p.x, p.y]);
    expect(falseEnds).toEqual([[1, 0], [3, 0]]);
  });

  it('marks exactly the non-dominated policies as the Pareto frontier', () => {
    const points = paretoPoints(data);
    expect(points.map((p) => [p.arm, p.frontier])).toEqual([
      ['last-resort[minRedirects=1]', true],
      ['last-resort[minRedirects=3]', false],
    ]);
    const one = points[0];
    const three = points[1];
    expect(one && three && one.exposure < three.exposure).toBe(true);
  });
});

describe('Pareto labels and standings', () => {
  const point = (arm: string, falseEnd: number, exposure: number, frontier: boolean) =>
    ({ arm, falseEnd, falseEndLow: 0, falseEndHigh: 0.1, exposure, exposureLow: exposure - 0.2, exposureHigh: exposure + 0.2, frontier, standing: 'dominated' as const });

  it('numbers only frontier points, one number for identical policies, names listed apart', async () => {
    const { paretoLabels } = await import('../../../src/report/charts/pareto-frontier.ts');
    const labels = paretoLabels([point('a', 0, 2.78, false), point('b', 0.02, 1.5, true), point('c', 0, 2.16, true), point('d', 0, 2.16, true)], fixtureData());
    expect(labels.map((l) => [l.label, l.names])).toEqual([['1', 'c | d'], ['2', 'b']]);
  });

  it('merges the numbers of frontier points that would print over each other', async () => {
    const { plotLabels } = await import('../../../src/report/charts/pareto-frontier.ts');
    // on a 480 × 300 plot over 0–10% and 0–3: 0.2% apart is 10 px, 1.0 apart in exposure is 100 px
    const labels = [
      { falseEnd: 0, exposure: 1.64, label: '1' },
      { falseEnd: 0.002, exposure: 1.6, label: '2' },
      { falseEnd: 0.05, exposure: 1.5, label: '3' },
      { falseEnd: 0.052, exposure: 0.5, label: '4' },
    ];
    expect(plotLabels(labels, [0, 0.1], 3).map((l) => l.label)).toEqual(['1, 2', '3', '4']);
  });

  it('classes a policy by whether its 95% box overlaps a frontier policy\'s box', async () => {
    const { standingOf } = await import('../../../src/report/charts/pareto-frontier.ts');
    const frontier = [{ falseEndLow: 0, falseEndHigh: 0.02, exposureLow: 1.43, exposureHigh: 1.77 }];
    // the case: 2.1720 ± 0.17 against a frontier point at 1.60 ± 0.17 — boxes apart on exposure
    expect(standingOf({ falseEndLow: 0, falseEndHigh: 0.02, exposureLow: 2.002, exposureHigh: 2.342 }, frontier)).toBe('dominated');
    // 1.90 ± 0.17 reaches down to 1.73, inside the frontier point's interval: it cannot be excluded
    expect(standingOf({ falseEndLow: 0, falseEndHigh: 0.02, exposureLow: 1.73, exposureHigh: 2.07 }, frontier)).toBe('cannot be excluded');
    // overlapping on exposure but clearly worse on false ends: dominated
    expect(standingOf({ falseEndLow: 0.03, falseEndHigh: 0.09, exposureLow: 1.5, exposureHigh: 1.8 }, frontier)).toBe('dominated');
    // an exposure interval that is not estimable cannot exclude anything
    expect(standingOf({ falseEndLow: 0, falseEndHigh: 0.02, exposureLow: null, exposureHigh: null }, frontier)).toBe('cannot be excluded');
  });
});

describe('the comparison Pareto chart', () => {
  it('validates and takes its frontier over all runs', async () => {
    const { comparisonParetoChart } = await import('../../../src/report/charts/compare-pareto.ts');
    const spec = comparisonParetoChart([{ label: 'one', data: fixtureData({ seed: 1 }) }, { label: 'two', data: fixtureData({ seed: 2 }) }]);
    expect(validate(spec)).toBe(true);
    const points = (spec as { data: { values: { run: string; arm: string; frontier: boolean }[] } }).data.values;
    // with no false ends anywhere, only the lowest exposure over both runs is on the frontier
    expect(points.map((p) => [p.run, p.arm, p.frontier])).toEqual([
      ['one', 'last-resort[minRedirects=1]', true],
      ['one', 'last-resort[minRedirects=3]', false],
      ['two', 'last-resort[minRedirects=1]', false],
      ['two', 'last-resort[minRedirects=3]', false],
    ]);
  });
});
