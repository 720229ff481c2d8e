/**
 * The trade-off policy authors choose on: false-end rate (cost to users) against mean distress exposure (cost to
 * the model), one labelled point per policy, the non-dominated ones joined as the Pareto frontier.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunData } from '../run-data.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './chart-style.ts';

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
  return points.map((p) => ({ ...p, frontier: !dominated(p) }));
}

/** The x domain: 0 to the widest interval, and at least 5%, so a run without false ends keeps a readable axis. */
export function falseEndDomain(points: readonly ParetoPoint[]): [number, number] {
  return [0, Math.max(0.05, ...points.map((p) => p.falseEndHigh))];
}

/** Up to this many policies every point is labelled; beyond it only the frontier is. */
const MAX_LABELLED = 12;

/**
 * One label per position: policies with identical results share a point, so their names are listed together
 * rather than printed over each other. Sweep variants of a single policy are named by their swept values only.
 */
export function paretoLabels(points: readonly ParetoPoint[], data: RunData): { falseEnd: number; exposure: number; label: string; below: boolean }[] {
  const single = new Set(data.arms.map((arm) => `${arm.basePolicy}\u0000${arm.model}`)).size === 1;
  const shortName = (arm: string): string => (single ? (/\[(.*)\]$/.exec(arm)?.[1]?.replace(/,/g, ', ') ?? arm) : arm);
  const byPosition = new Map<string, { falseEnd: number; exposure: number; names: string[]; frontier: boolean }>();
  for (const p of points) {
    const key = `${p.falseEnd}\u0000${p.exposure}`;
    const entry = byPosition.get(key) ?? { falseEnd: p.falseEnd, exposure: p.exposure, names: [], frontier: false };
    entry.names.push(shortName(p.arm));
    entry.frontier ||= p.frontier;
    byPosition.set(key, entry);
  }
  // A sweep has dozens of points: only the frontier is labelled (every point has a tooltip), and a point shared by
  // many policies names the first and counts the rest, so no label runs off the chart.
  for (const [key, entry] of byPosition) if (!entry.frontier && points.length > MAX_LABELLED) byPosition.delete(key);
  // Labels of nearly coincident points (close in exposure at about the same false-end rate) alternate above and
  // below their points, so neither hides the other.
  const entries = [...byPosition.values()].sort((a, b) => a.falseEnd - b.falseEnd || b.exposure - a.exposure);
  const exposures = entries.map((e) => e.exposure);
  const near = 0.04 * (Math.max(...exposures) - Math.min(0, ...exposures) || 1);
  let below = false;
  return entries.map((e, i) => {
    const previous = entries[i - 1];
    below = previous !== undefined && Math.abs(previous.falseEnd - e.falseEnd) < 0.005 && previous.exposure - e.exposure < near ? !below : false;
    const label = e.names.length <= 2 ? e.names.join(' | ') : `${e.names[0]} (+${e.names.length - 1} alike)`;
    return { falseEnd: e.falseEnd, exposure: e.exposure, label, below };
  });
}

export function paretoFrontierChart(data: RunData): TopLevelSpec | null {
  const points = paretoPoints(data);
  if (points.length === 0) return null;
  const domain = falseEndDomain(points);
  const x = { field: 'falseEnd', type: 'quantitative' as const, title: 'false-end rate (must-not-end classes)', axis: { format: '.0%', tickCount: 6 }, scale: { domain } };
  const y = { field: 'exposure', type: 'quantitative', title: 'mean distress exposure per conversation' } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Pareto frontier: false ends against distress exposure',
      subtitle: 'Lower-left is better for both; the line joins policies no other policy beats on both axes',
    },
    config: CHART_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    width: 480,
    height: 300,
    layer: [
      {
        transform: [{ filter: 'datum.frontier' }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: { x: { ...x, sort: null }, y, order: { field: 'falseEnd', type: 'quantitative' } },
      },
      { mark: { type: 'rule', color: '#aaa' }, encoding: { x: { field: 'falseEndLow', type: 'quantitative', scale: { domain } }, x2: { field: 'falseEndHigh' }, y } },
      { mark: { type: 'rule', color: '#aaa' }, encoding: { x, y: { field: 'exposureLow', type: 'quantitative' }, y2: { field: 'exposureHigh' } } },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x,
          y,
          color: { field: 'frontier', type: 'nominal', title: 'on the frontier', scale: { domain: [true, false], range: ['#d62728', '#1f77b4'] } },
          tooltip: [
            { field: 'arm', title: 'policy' },
            { field: 'falseEnd', format: '.1%', title: 'false-end rate' },
            { field: 'falseEndLow', format: '.1%' },
            { field: 'falseEndHigh', format: '.1%' },
            { field: 'exposure', format: '.2f', title: 'distress exposure' },
          ],
        },
      },
      ...[false, true].map((below) => ({
        data: { values: paretoLabels(points, data).filter((label) => label.below === below) },
        mark: { type: 'text' as const, align: 'left' as const, dx: 7, dy: below ? 10 : -7, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      })),
    ],
  };
}
