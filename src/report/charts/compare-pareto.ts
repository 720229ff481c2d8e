/**
 * The Pareto chart across runs (for `compare --html`): one point per (run, policy), coloured by run, the
 * frontier taken over all of them, so policies from different runs are weighed on one picture.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { falseEndDomain, paretoPoints, plotLabels, standingOf, STANDINGS } from './pareto-frontier.ts';

export interface LabelledRun {
  readonly label: string;
  readonly data: RunData;
}

export function comparisonParetoChart(runs: readonly LabelledRun[]): TopLevelSpec | null {
  const points = runs.flatMap((run) => paretoPoints(run.data).map((p) => ({ ...p, run: run.label })));
  if (points.length === 0) return null;
  const dominated = (p: (typeof points)[number]): boolean =>
    points.some((q) => q.falseEnd <= p.falseEnd && q.exposure <= p.exposure && (q.falseEnd < p.falseEnd || q.exposure < p.exposure));
  const frontier = points.filter((p) => !dominated(p));
  // as in a run's own chart: off the frontier, a policy whose 95% box overlaps a frontier policy's cannot be excluded
  const values = points.map((p) => ({ ...p, frontier: frontier.includes(p), standing: frontier.includes(p) ? STANDINGS[0] : standingOf(p, frontier) }));
  // at least 0–5%, so runs without false ends keep a readable axis
  const domain = falseEndDomain(values);
  const x = { field: 'falseEnd', type: 'quantitative' as const, title: ['false-end rate (must-not-end classes)', 'whiskers: 95% interval, clustered on users'], axis: { format: '.0%', tickCount: 6 }, scale: { domain } };
  // only frontier points are labelled, with a number (names listed under the title): labels never overlap
  const positions = new Map<string, { falseEnd: number; exposure: number; names: string[] }>();
  for (const p of values.filter((v) => v.frontier)) {
    const key = `${p.falseEnd}\u0000${p.exposure}`;
    const entry = positions.get(key) ?? { falseEnd: p.falseEnd, exposure: p.exposure, names: [] };
    entry.names.push(`${p.run}: ${p.arm}`);
    positions.set(key, entry);
  }
  const labels = [...positions.values()]
    .sort((a, b) => a.falseEnd - b.falseEnd || a.exposure - b.exposure)
    .map((e, i) => ({ falseEnd: e.falseEnd, exposure: e.exposure, label: String(i + 1), names: e.names.length <= 2 ? e.names.join(' | ') : `${e.names[0]} (+${e.names.length - 1} alike)` }));
  const y = { field: 'exposure', type: 'quantitative' as const, title: ['mean distress exposure per conversation', 'whiskers: 95% interval, clustered on users'] };
  // the whiskers: 95% intervals clustered on users, as in each run's own chart
  const whiskers = [
    { mark: { type: 'rule' as const, color: '#bbb' }, encoding: { x: { field: 'falseEndLow', type: 'quantitative' as const, scale: { domain } }, x2: { field: 'falseEndHigh' }, y } },
    { mark: { type: 'rule' as const, color: '#bbb' }, encoding: { x, y: { field: 'exposureLow', type: 'quantitative' as const }, y2: { field: 'exposureHigh' } } },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Pareto frontier across runs',
      subtitle: [
        'One point per run and policy; the dashed line joins the frontier over all runs (point estimates);',
        'shape: on the frontier, or off it but "cannot be excluded" (95% boxes overlap), or dominated.',
        ...labels.map((l) => `${l.label}: ${l.names}`),
      ],
    },
    config: CHART_CONFIG,
    data: { values },
    width: 520,
    height: 320,
    layer: [
      ...whiskers,
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x, y, order: { field: 'falseEnd', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x,
          y,
          tooltip: [
            { field: 'run' }, { field: 'arm', title: 'policy' }, { field: 'standing' },
            { field: 'falseEnd', format: '.1%', title: 'false-end rate' }, { field: 'falseEndLow', format: '.1%' }, { field: 'falseEndHigh', format: '.1%' },
            { field: 'exposure', format: '.2f', title: 'distress exposure' }, { field: 'exposureLow', format: '.2f' }, { field: 'exposureHigh', format: '.2f' },
          ],
          color: { field: 'run', type: 'nominal', title: 'run' },
          shape: { field: 'standing', type: 'nominal', title: 'standing', sort: [...STANDINGS], scale: { domain: [...STANDINGS], range: ['circle', 'triangle-up', 'cross'] } },
        },
      },
      {
        data: { values: plotLabels(labels, domain, Math.max(...values.map((p) => p.exposureHigh ?? p.exposure)), { width: 520, height: 320 }) },
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11, fontWeight: 'bold' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}
