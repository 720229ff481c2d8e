import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RunAggregator } from '../../../src/report/aggregate-run.ts';
import { summariseManifest } from '../../../src/report/load-run.ts';
import { buildCharts } from '../../../src/report/charts/index.ts';
import { distressChartPoints, MIN_RUNNING, MIN_RUNNING_SHARE } from '../../../src/report/charts/distress-over-turns.ts';
import { armOrder, identicalSeries, sweepLayout } from '../../../src/report/charts/sweep-layout.ts';
import type { SweptArms } from '../../../src/report/charts/sweep-layout.ts';
import { MAX_PNG_SIDE, renderSvg, svgSize, svgToPng } from '../../../src/report/render-chart.ts';
import type { Arm, RunData } from '../../../src/report/run-data.ts';
import { fixtureRecords } from '../fixture-run.ts';

const require = createRequire(import.meta.url);
const schema: unknown = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema as object);

const THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const REDIRECTS = [0, 1, 2, 3, 5];

function arm(minRedirects: number, distressThreshold: number): Arm {
  const policy = `hybrid[minRedirects=${minRedirects},distressThreshold=${distressThreshold}]`;
  return { label: policy, policy, basePolicy: 'hybrid', model: 'balanced', sweep: { minRedirects, distressThreshold } };
}

/** The shipped sweep's 50 variants, listed as text sorts them (0.5 after 0.45-like strings: 0.55 before 0.5). */
const sweptArms: SweptArms = {
  arms: REDIRECTS.flatMap((m) => THRESHOLDS.map((t) => arm(m, t))).sort((a, b) => (a.label < b.label ? -1 : 1)),
  sweepFields: ['distressThreshold', 'minRedirects'],
};

describe('sweep layout', () => {
  it('orders variants numerically, not as text', () => {
    expect(sweptArms.arms.slice(0, 2).map((a) => a.sweep.distressThreshold)).toEqual([0.55, 0.5]); // the text order
    const order = armOrder(sweptArms);
    expect(order.slice(0, 3)).toEqual([arm(0, 0.5).label, arm(0, 0.55).label, arm(0, 0.6).label]);
    expect(order.at(-1)).toBe(arm(5, 0.95).label);
  });

  it('colours by the field with most values and makes one panel per value of the other, in numeric order', () => {
    const layout = sweepLayout(sweptArms);
    expect(layout?.colourField).toBe('distressThreshold');
    expect(layout?.panelTitle).toBe('minRedirects');
    expect(layout?.panels).toEqual(['minRedirects=0', 'minRedirects=1', 'minRedirects=2', 'minRedirects=3', 'minRedirects=5']);
    expect(layout?.placements.get(arm(3, 0.55).label)).toEqual({ arm: arm(3, 0.55).label, panel: 'minRedirects=3', colourValue: 0.55 });
  });

  it('leaves a handful of policies to nominal colours', () => {
    expect(sweepLayout({ arms: sweptArms.arms.slice(0, 10), sweepFields: sweptArms.sweepFields })).toBeNull();
    expect(sweepLayout({ arms: sweptArms.arms, sweepFields: [] })).toBeNull();
  });

  it('names a series identical to an earlier one', () => {
    const signatures = new Map([['never-end', 'a'], ['eager', 'b'], ['user-request-only', 'a'], ['last-resort', 'c']]);
    expect(identicalSeries(signatures, ['eager', 'last-resort', 'never-end', 'user-request-only'])).toEqual(new Map([['user-request-only', 'never-end']]));
  });
});

/** A run with the shipped sweep's 50 variants (two swept fields), built from the fixture's records. */
function fiftyVariantRun(): RunData {
  const { conversations, events } = fixtureRecords({ minRedirects: REDIRECTS, repetitions: THRESHOLDS.length, maxTurns: 8 });
  const aggregator = new RunAggregator({ sampleSize: 20 });
  for (const record of conversations) {
    const minRedirects = record.sweep.minRedirects ?? 0;
    const distressThreshold = THRESHOLDS[record.seed % THRESHOLDS.length] ?? 0.5;
    const policy = `last-resort[minRedirects=${minRedirects},distressThreshold=${distressThreshold}]`;
    aggregator.addConversation({ ...record, policy, sweep: { minRedirects, distressThreshold } });
  }
  for (const event of events) aggregator.addEvent(event);
  return aggregator.finish(summariseManifest({ experiment: 'fifty' }), null);
}

describe('charts of a 50-variant sweep', () => {
  const data = fiftyVariantRun();
  const charts = buildCharts(data);

  it('has the 50 arms', () => {
    expect(data.arms).toHaveLength(50);
  });

  it.each(charts.map((c) => c.name))('%s validates, names no field "value", cuts no legend short, and fits a bounded PNG', async (name) => {
    const chart = charts.find((c) => c.name === name);
    expect(validate(chart?.spec)).toBe(true);
    if (chart === undefined) throw new Error(name);
    const svg = await renderSvg(chart.spec);
    // a legend vega had to cut short says "…N entries"
    expect(svg).not.toMatch(/\d+ entries/);
    expect(svg).not.toMatch(/>value<\/text>/);
    const png = svgToPng(svg);
    const { width, height } = svgSize(svg);
    expect(Math.max(png.readUInt32BE(16), png.readUInt32BE(20))).toBeLessThanOrEqual(MAX_PNG_SIDE);
    // the rasteriser keeps the aspect ratio (within a pixel of rounding)
    expect(Math.abs(png.readUInt32BE(16) / png.readUInt32BE(20) - width / height)).toBeLessThan(0.01 * (width / height) + 2 / png.readUInt32BE(20));
  }, 30_000);

  it('titles the threshold-curve axes with the swept fields', async () => {
    const chart = charts.find((c) => c.name === 'threshold-curves');
    if (chart === undefined) throw new Error('no threshold curves');
    const svg = await renderSvg(chart.spec);
    expect(svg).toContain('>minRedirects</text>');
    expect(svg).toContain('>distressThreshold</text>');
  });

});

describe('many policies without a sweep', () => {
  it('gives each of 12 policies its own colour in the legend', async () => {
    const { conversations, events } = fixtureRecords({ minRedirects: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], repetitions: 2 });
    const aggregator = new RunAggregator();
    for (const record of conversations) aggregator.addConversation(record);
    for (const event of events) aggregator.addEvent(event);
    const data = { ...aggregator.finish(summariseManifest({ experiment: 'twelve' }), null), sweepFields: [] };
    const chart = buildCharts(data).find((c) => c.name === 'distress-over-turns');
    if (chart === undefined) throw new Error('no distress chart');
    const svg = await renderSvg(chart.spec);
    const colours = [...svg.matchAll(/role-legend-symbol"[^>]*><path [^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(colours).toHaveLength(12);
    expect(new Set(colours).size).toBe(12);
  });
});

describe('distress over turns and survivorship', () => {
  it('draws a point solid exactly where enough conversations are still running (counted from the events)', () => {
    // 8 users talk for 10 turns, 8 more for 3: n falls from 16 to 8 after turn 3
    const long = fixtureRecords({ repetitions: 8, maxTurns: 10 });
    const short = fixtureRecords({ repetitions: 8, maxTurns: 3, firstRepetition: 8, firstIndex: 1000 });
    const conversations = [...long.conversations, ...short.conversations];
    const events = [...long.events, ...short.events];
    const aggregator = new RunAggregator();
    for (const record of conversations) aggregator.addConversation(record);
    for (const event of events) aggregator.addEvent(event);
    const data = aggregator.finish(summariseManifest({ experiment: 'survivors' }), null);
    const armOf = new Map(conversations.map((r) => [r.id, `${r.policy}|${r.class}`]));
    const running = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'turn' || e.chat !== 0 || e.branch !== 0) continue;
      const key = `${armOf.get(e.conversation)}|${e.turn}`;
      running.set(key, (running.get(key) ?? 0) + 1);
    }
    const points = distressChartPoints(data);
    for (const p of points) {
      const n = running.get(`${p.arm}|${p.class}|${p.turn}`) ?? 0;
      const started = running.get(`${p.arm}|${p.class}|1`) ?? 0;
      expect(p.n).toBe(n);
      expect(p.solid).toBe(n >= MIN_RUNNING && n >= MIN_RUNNING_SHARE * started);
    }
    // both kinds occur, so the rule is exercised
    expect(new Set(points.map((p) => p.solid))).toEqual(new Set([true, false]));
  });
});
