/**
 * The trade-off policy authors choose on: false-end rate (cost to users) against mean distress exposure (cost to
 * the model), one point per policy with its 95% intervals, the non-dominated ones joined as the Pareto frontier.
 * The frontier is chosen on point estimates, so each other policy is classed by its intervals too: it "cannot be
 * excluded" from the frontier when its interval box overlaps a frontier policy's, and is "dominated" otherwise.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, LARGE_CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';
import { surrogateChartNote } from '../surrogate-note.ts';

export interface ParetoPoint {
  readonly arm: string;
  readonly falseEnd: number;
  readonly falseEndLow: number;
  readonly falseEndHigh: number;
  readonly exposure: number;
  /** Null when the interval is not estimable (one user): no whisker is drawn. */
  readonly exposureLow: number | null;
  readonly exposureHigh: number | null;
  readonly frontier: boolean;
  readonly standing: Standing;
}

export const STANDINGS = ['on the frontier', 'cannot be excluded', 'dominated'] as const;
export type Standing = (typeof STANDINGS)[number];

type Interval = readonly [number, number];
const overlaps = (a: Interval, b: Interval): boolean => a[0] <= b[1] && b[0] <= a[1];
/** An exposure interval that is not estimable (one user) is unbounded: it overlaps everything. */
const exposureInterval = (p: { exposureLow: number | null; exposureHigh: number | null }): Interval =>
  [p.exposureLow ?? -Infinity, p.exposureHigh ?? Infinity];

/**
 * A policy off the frontier "cannot be excluded" when its 95% box (false-end interval × exposure interval) overlaps
 * the box of some frontier policy; otherwise every frontier policy that beats it does so beyond the intervals on
 * at least one axis, and it is "dominated".
 */
export function standingOf(
  point: { falseEndLow: number; falseEndHigh: number; exposureLow: number | null; exposureHigh: number | null },
  frontier: readonly { falseEndLow: number; falseEndHigh: number; exposureLow: number | null; exposureHigh: number | null }[],
): Standing {
  const box = (p: typeof point): [Interval, Interval] => [[p.falseEndLow, p.falseEndHigh], exposureInterval(p)];
  const [x, y] = box(point);
  return frontier.some((f) => { const [fx, fy] = box(f); return overlaps(x, fx) && overlaps(y, fy); }) ? 'cannot be excluded' : 'dominated';
}

/** One point per arm that has must-not-end conversations; `frontier` marks those no other point dominates. */
export function paretoPoints(data: RunData): ParetoPoint[] {
  const points = data.armSummaries.flatMap((arm) =>
    arm.falseEndRate === null
      ? []
      : [{ arm: arm.label, falseEnd: arm.falseEndRate.value, falseEndLow: arm.falseEndRate.low, falseEndHigh: arm.falseEndRate.high,
           exposure: arm.distressExposure.mean, exposureLow: arm.distressExposure.low, exposureHigh: arm.distressExposure.high }],
  );
  const dominated = (p: (typeof points)[number]): boolean =>
    points.some((q) => q.falseEnd <= p.falseEnd && q.exposure <= p.exposure && (q.falseEnd < p.falseEnd || q.exposure < p.exposure));
  const frontier = points.filter((p) => !dominated(p));
  return points.map((p) => {
    const onFrontier = frontier.includes(p);
    return { ...p, frontier: onFrontier, standing: onFrontier ? 'on the frontier' : standingOf(p, frontier) };
  });
}

/** The x domain: 0 to the widest interval, and at least 5%, so a run without false ends keeps a readable axis. */
export function falseEndDomain(points: readonly ParetoPoint[]): [number, number] {
  return [0, Math.max(0.05, ...points.map((p) => p.falseEndHigh))];
}

/**
 * Only frontier points are labelled, and with a number: the names are listed under the chart, so no label can
 * run into another or off the chart. Policies with identical results share a number. Sweep variants of a single
 * policy are named by their swept values only. Every point has a tooltip in the interactive version.
 */
export function paretoLabels(points: readonly ParetoPoint[], data: RunData): { falseEnd: number; exposure: number; label: string; names: string }[] {
  const single = new Set(data.arms.map((arm) => `${arm.basePolicy}\u0000${arm.model}`)).size === 1;
  const shortName = (arm: string): string => (single ? (/\[(.*)\]$/.exec(arm)?.[1]?.replace(/,/g, ', ') ?? arm) : arm);
  const byPosition = new Map<string, { falseEnd: number; exposure: number; names: string[] }>();
  for (const p of points.filter((q) => q.frontier)) {
    const key = `${p.falseEnd}\u0000${p.exposure}`;
    const entry = byPosition.get(key) ?? { falseEnd: p.falseEnd, exposure: p.exposure, names: [] };
    entry.names.push(shortName(p.arm));
    byPosition.set(key, entry);
  }
  return [...byPosition.values()]
    .sort((a, b) => a.falseEnd - b.falseEnd || a.exposure - b.exposure)
    .map((e, i) => ({
      falseEnd: e.falseEnd,
      exposure: e.exposure,
      label: String(i + 1),
      names: e.names.length <= 2 ? e.names.join(' | ') : `${e.names[0]} (+${e.names.length - 1} alike)`,
    }));
}

/**
 * The numbers drawn on the plot: frontier points closer than `minPixels` (on a plot `width` × `height` with these
 * domains) share one label, "1, 2", at the first one's place, so two numbers never print over each other.
 */
export function plotLabels(
  labels: readonly { falseEnd: number; exposure: number; label: string }[],
  xDomain: readonly [number, number],
  yMax: number,
  size: { width: number; height: number } = { width: 480, height: 300 },
  minPixels = 14,
): { falseEnd: number; exposure: number; label: string }[] {
  const px = (l: { falseEnd: number; exposure: number }): [number, number] =>
    [(l.falseEnd - xDomain[0]) / (xDomain[1] - xDomain[0] || 1) * size.width, l.exposure / (yMax || 1) * size.height];
  const groups: { falseEnd: number; exposure: number; labels: string[]; at: [number, number] }[] = [];
  for (const l of labels) {
    const [x, y] = px(l);
    // a label runs to the right of its point, about 7 px per character
    const near = groups.find((g) => x > g.at[0] - minPixels && x < g.at[0] + minPixels + 7 * g.labels.join(', ').length && Math.abs(g.at[1] - y) < minPixels);
    if (near !== undefined) near.labels.push(l.label);
    else groups.push({ falseEnd: l.falseEnd, exposure: l.exposure, labels: [l.label], at: [x, y] });
  }
  return groups.map((g) => ({ falseEnd: g.falseEnd, exposure: g.exposure, label: g.labels.join(', ') }));
}

const STANDING_COLOURS = ['#d62728', '#ff9f40', '#9aa5b1'];
const INTERVAL_NOTE = 'whiskers: 95% interval, clustered on users';

export function paretoFrontierChart(data: RunData): TopLevelSpec | null {
  const points = paretoPoints(data);
  if (points.length === 0) return null;
  const domain = falseEndDomain(points);
  const x = { field: 'falseEnd', type: 'quantitative' as const, title: ['false-end rate (must-not-end classes)', INTERVAL_NOTE], axis: { format: '.0%', tickCount: 6 }, scale: { domain } };
  const y = { field: 'exposure', type: 'quantitative' as const, title: ['mean distress exposure per conversation', INTERVAL_NOTE] };
  const labels = paretoLabels(points, data);
  const counts = STANDINGS.map((s) => `${points.filter((p) => p.standing === s).length} ${s}`).join(', ');
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Pareto frontier: false ends against distress exposure',
      subtitle: [
        'Lower-left is better for both. The line joins the policies no other',
        'policy beats on both axes (point estimates). A policy whose 95% box',
        'overlaps a frontier policy\'s "cannot be excluded" from the frontier.',
        `${counts}.`,
        ...labels.map((l) => `${l.label}: ${l.names}`),
        ...surrogateChartNote(data.manifest.raw, new Set(data.arms.map((a) => a.model)), ['falseEndRate', 'distressExposure']),
      ],
    },
    config: points.length > 20 ? LARGE_CHART_CONFIG : CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    width: 480,
    height: 300,
    layer: [
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x: { ...x, sort: null }, y, order: { field: 'falseEnd', type: 'quantitative' } },
      },
      { mark: { type: 'rule', color: '#aaa', opacity: 0.7 }, encoding: { x: { field: 'falseEndLow', type: 'quantitative', scale: { domain } }, x2: { field: 'falseEndHigh' }, y } },
      { mark: { type: 'rule', color: '#aaa', opacity: 0.7 }, encoding: { x, y: { field: 'exposureLow', type: 'quantitative' }, y2: { field: 'exposureHigh' } } },
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: 'standing', type: 'nominal', title: 'standing', sort: [...STANDINGS], scale: { domain: [...STANDINGS], range: STANDING_COLOURS } },
          tooltip: [
            { field: 'arm', title: 'policy' },
            { field: 'standing' },
            { field: 'falseEnd', format: '.1%', title: 'false-end rate' },
            { field: 'falseEndLow', format: '.1%' },
            { field: 'falseEndHigh', format: '.1%' },
            { field: 'exposure', format: '.2f', title: 'distress exposure' },
            { field: 'exposureLow', format: '.2f' },
            { field: 'exposureHigh', format: '.2f' },
          ],
        },
      },
      {
        data: { values: plotLabels(labels, domain, Math.max(...points.map((p) => p.exposureHigh ?? p.exposure))) },
        mark: { type: 'text', align: 'left', dx: 6, dy: -7, fontSize: 11, fontWeight: 'bold' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}
