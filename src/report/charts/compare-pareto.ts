/**
 * The Pareto chart across runs (for `compare --html`): one point per (run, policy), coloured by run, the
 * frontier taken over all of them, so policies from different runs are weighed on one picture.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { paretoPoints } from './pareto-frontier.ts';

export interface LabelledRun {
  readonly label: string;
  readonly data: RunData;
}

export function comparisonParetoChart(runs: readonly LabelledRun[]): TopLevelSpec | null {
  const points = runs.flatMap((run) => paretoPoints(run.data).map((p) => ({ ...p, run: run.label })));
  if (points.length === 0) return null;
  const dominated = (p: (typeof points)[number]): boolean =>
    points.some((q) => q.falseEnd <= p.falseEnd && q.exposure <= p.exposure && (q.falseEnd < p.falseEnd || q.exposure < p.exposure));
  const values = points.map((p) => ({ ...p, frontier: !dominated(p) }));
  // at least 0–5%, so runs without false ends keep a readable axis
  const domain = [0, Math.max(0.05, ...values.map((p) => p.falseEnd))];
  const x = { field: 'falseEnd', type: 'quantitative' as const, title: 'false-end rate (must-not-end classes)', axis: { format: '.0%', tickCount: 6 }, scale: { domain } };
  // policies with identical results share one label instead of overprinting each other
  const labels = new Map<string, { falseEnd: number; exposure: number; names: string[] }>();
  for (const p of values) {
    const key = `${p.falseEnd}\u0000${p.exposure}`;
    const entry = labels.get(key) ?? { falseEnd: p.falseEnd, exposure: p.exposure, names: [] };
    entry.names.push(p.arm);
    labels.set(key, entry);
  }
  const y = { field: 'exposure', type: 'quantitative', title: 'mean distress exposure per conversation' } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Pareto frontier across runs', subtitle: 'One point per run and policy; the dashed line joins the frontier over all runs' },
    config: CHART_CONFIG,
    data: { values },
    width: 520,
    height: 320,
    layer: [
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x, y, order: { field: 'falseEnd', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: { x, y, color: { field: 'run', type: 'nominal', title: 'run' }, shape: { field: 'frontier', type: 'nominal', title: 'on the frontier' } },
      },
      {
        data: { values: [...labels.values()].map((e) => ({ falseEnd: e.falseEnd, exposure: e.exposure, label: [...new Set(e.names)].join(' | ') })) },
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}
