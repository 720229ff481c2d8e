/**
 * Apparent distress over the turns of a conversation, one line per policy with its 95% band, one panel per class
 * (and, for a large sweep, per value of the swept fields but one). Under each panel, n: how many conversations
 * are still running at that turn. Later turns are survivors only, so the line turns faint where few remain.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DistressPoint, RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { armOrder, identicalSeries, nominalScheme, panelColumns, SEQUENTIAL_SCHEME, sweepLayout } from './sweep-layout.ts';

/** A point is drawn solid while at least this many conversations are still running… */
export const MIN_RUNNING = 10;
/** …and at least this share of those that started the (policy, class). */
export const MIN_RUNNING_SHARE = 0.25;

export interface DistressChartPoint extends DistressPoint {
  /** The legend's name: the arm, or "arm (= other)" when its series is identical to another's. */
  readonly series: string;
  readonly dashed: boolean;
  /** 0 for the first of the policies whose lines coincide in this panel, 1, 2… for the others (drawn in dashes). */
  readonly rank: number;
  /** How many policies (counting this one) have exactly this line in this panel. */
  readonly alike: number;
  /** The last solid point of its line, where the faint part starts. */
  readonly lastSolid: boolean;
  readonly solid: boolean;
  readonly panel: string;
  readonly colourValue: number | null;
}

/** The chart's data: every point with its survivorship flag (`solid`) and the identical-series mark. */
export function distressChartPoints(data: RunData): DistressChartPoint[] {
  const layout = sweepLayout(data);
  const start = new Map<string, number>();
  for (const p of data.distressByTurn) {
    const key = `${p.arm}\u0000${p.class}`;
    if (!start.has(key)) start.set(key, p.n); // points come sorted by turn: the first is where the (policy, class) starts
  }
  // identical series: over the whole run (named "= X" in the legend), and within each panel (drawn in dashes that
  // take turns, so every colour of a bundle of coinciding lines shows)
  const signatures = new Map<string, string>();
  const panelSignatures = new Map<string, string>();
  for (const p of data.distressByTurn) {
    signatures.set(p.arm, `${signatures.get(p.arm) ?? ''}|${p.class}:${p.turn}:${p.n}:${p.mean}`);
    const key = `${p.class}\u0000${p.arm}`;
    panelSignatures.set(key, `${panelSignatures.get(key) ?? ''}|${p.turn}:${p.n}:${p.mean}`);
  }
  const order = armOrder(data);
  const same = layout === null ? identicalSeries(signatures, order) : new Map<string, string>();
  // within a panel, policies whose lines coincide form a bundle; rank orders each bundle (0 is drawn solid)
  const rank = new Map<string, number>();
  const bundleSize = new Map<string, number>();
  const bundleOf = (cls: string, arm: string): string => `${cls}\u0000${layout?.placements.get(arm)?.panel ?? ''}\u0000${panelSignatures.get(`${cls}\u0000${arm}`)}`;
  for (const cls of data.classes) {
    for (const arm of order) {
      if (!panelSignatures.has(`${cls}\u0000${arm}`)) continue;
      const bundle = bundleOf(cls, arm);
      rank.set(`${cls}\u0000${arm}`, bundleSize.get(bundle) ?? 0);
      bundleSize.set(bundle, (bundleSize.get(bundle) ?? 0) + 1);
    }
  }
  const points = data.distressByTurn.map((p, i) => {
    const started = start.get(`${p.arm}\u0000${p.class}`) ?? p.n;
    const twin = same.get(p.arm);
    const placement = layout?.placements.get(p.arm);
    const next = data.distressByTurn[i + 1];
    const solid = (q: DistressPoint): boolean => q.n >= MIN_RUNNING && q.n >= MIN_RUNNING_SHARE * started;
    return {
      ...p,
      series: twin === undefined ? p.arm : `${p.arm} (= ${twin})`,
      dashed: twin !== undefined,
      rank: rank.get(`${p.class}\u0000${p.arm}`) ?? 0,
      alike: bundleSize.get(bundleOf(p.class, p.arm)) ?? 1,
      solid: solid(p),
      lastSolid: solid(p) && !(next !== undefined && next.arm === p.arm && next.class === p.class && solid(next)),
      panel: placement?.panel ?? '',
      colourValue: placement?.colourValue ?? null,
    };
  });
  // a sweep draws one line per bundle (the first variant's colour), so fifty identical lines cost one
  return layout === null ? points : points.filter((p) => p.rank === 0);
}

/** Dashes of coinciding lines take turns: rank r draws the r-th quarter of each 24-pixel period over rank 0. */
const DASH = [6, 18];
const RANK_LAYERS = [1, 2, 3];

export function distressOverTurnsChart(data: RunData): TopLevelSpec | null {
  if (data.distressByTurn.length === 0) return null;
  const layout = sweepLayout(data);
  const points = distressChartPoints(data);
  const maxTurn = Math.max(...points.map((p) => p.turn));
  const seriesOrder = armOrder(data).map((arm) => points.find((p) => p.arm === arm)?.series ?? arm);
  const color = layout === null
    ? { field: 'series', type: 'nominal' as const, title: 'policy', sort: seriesOrder, scale: { scheme: nominalScheme(seriesOrder.length) },
        legend: { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3 } }
    : { field: 'colourValue', type: 'quantitative' as const, title: layout.colourField, scale: { scheme: SEQUENTIAL_SCHEME } };
  const width = layout === null ? 220 : 120;
  const height = layout === null ? 120 : 56;
  const columns = layout === null ? Math.min(3, data.classes.length) : panelColumns(layout.panels.length);
  const x = { field: 'turn', type: 'quantitative' as const, title: 'user turn', scale: { domain: [1, maxTurn] }, axis: { tickMinStep: 1, format: 'd' } };
  const xHidden = { ...x, title: null, axis: { tickMinStep: 1, format: 'd', labels: false } };
  const detail = { field: 'arm', type: 'nominal' as const };
  const y = { field: 'mean', type: 'quantitative' as const };
  const cells = data.classes
    .flatMap((cls) => (layout?.panels ?? ['']).map((panel) => ({ cls, panel })))
    .filter(({ cls, panel }) => points.some((p) => p.class === cls && p.panel === panel));
  const tooltip = [
    { field: 'arm', title: 'policy' }, { field: 'class' }, { field: 'turn' },
    { field: 'mean', format: '.3f' }, { field: 'low', format: '.3f' }, { field: 'high', format: '.3f' },
    { field: 'n', title: 'conversations still running' },
    { field: 'alike', title: 'policies with this same line' },
  ];
  const cell = ({ cls, panel }: { cls: string; panel: string }, index: number) => {
    const yTitle = layout === null || index % columns === 0;
    return {
      // two short lines: vega sizes a title by an estimate of its text width, and a long one would widen the column
      title: { text: panel === '' ? cls : [cls, panel], anchor: 'middle' as const, fontSize: layout === null ? 12 : 11 },
      transform: [{ filter: { field: 'class', equal: cls } }, { filter: { field: 'panel', equal: panel } }],
      spacing: 4,
      vconcat: [
        {
          width,
          height,
          encoding: { x: xHidden, color, detail },
          layer: [
            {
              transform: [{ filter: 'datum.solid && datum.low !== null && datum.rank === 0' }],
              mark: { type: 'area' as const, opacity: layout === null ? 0.18 : 0.12 },
              encoding: { y: { field: 'low', type: 'quantitative' as const, title: yTitle ? (layout === null ? 'distress (0–1)' : 'distress') : null, scale: { domain: [0, 1] }, axis: { tickCount: 3 } }, y2: { field: 'high' } },
            },
            { transform: [{ filter: '!datum.solid || datum.lastSolid' }], mark: { type: 'line' as const, opacity: 0.3, strokeWidth: 1.5 }, encoding: layout === null ? { y } : { y, tooltip } },
            { transform: [{ filter: 'datum.solid && datum.rank === 0' }], mark: { type: 'line' as const, strokeWidth: 2 }, encoding: { y } },
            ...RANK_LAYERS.map((k) => ({
              transform: [{ filter: `datum.solid && datum.rank > 0 && datum.rank % 4 === ${k % 4}` }],
              mark: { type: 'line' as const, strokeWidth: 2, strokeDash: DASH, strokeDashOffset: -DASH[0]! * k },
              encoding: { y },
            })),
            // a sweep's many points are left to the interactive version's tooltips on the line (bytes: the page stays small)
            ...(layout === null ? [{
              mark: { type: 'point' as const, filled: true, size: 16 },
              encoding: { y, opacity: { condition: { test: 'datum.solid', value: 1 }, value: 0.3 }, tooltip },
            }] : []),
          ],
        },
        {
          width,
          height: layout === null ? 36 : 22,
          mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'n', type: 'quantitative' as const, title: yTitle ? 'n' : null, axis: { tickCount: 2 }, scale: { zero: true } },
            color,
            detail,
            strokeDash: { condition: { test: 'datum.rank > 0', value: DASH }, value: [1, 0] },
            tooltip: [{ field: 'arm', title: 'policy' }, { field: 'turn' }, { field: 'n', title: 'conversations still running' }],
          },
        },
      ],
    };
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Apparent distress over turns',
      subtitle: [
        `Mean over conversations (first chat, original branch) with its 95% band, clustered on users; one panel per scenario class${layout === null ? '' : ` and ${layout.panelTitle}`}.`,
        'Below each panel, n: conversations still running. Later turns hold only the conversations that have not ended,',
        `so the line is faint (and has no band) where fewer than ${MIN_RUNNING}, or under ${MIN_RUNNING_SHARE * 100}% of those that started, are still running.`,
        layout === null
          ? 'Policies whose lines coincide in a panel are drawn in alternating dashes; "(= X)": identical to X in every panel.'
          : `Variants whose lines coincide in a panel are drawn once, in the colour of the lowest ${layout.colourField}.`,
      ],
    },
    config: layout === null ? CHART_CONFIG : LARGE_CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    columns,
    spacing: layout === null ? 24 : 12,
    concat: cells.map(cell),
  } as TopLevelSpec;
}
