/**
 * How a chart lays out many arms. A handful of policies get one colour each; a sweep with more variants than
 * distinct colours is organised by its axes instead: one panel per value of the swept fields but one, and the
 * remaining field (the one with most values) as a sequential colour scale, sorted numerically and titled with
 * the field's name. No two series of a sweep then share a colour by accident, and no legend is cut short.
 */
import type { Arm, RunData } from '../run-data.ts';

/** What the layout needs of a run: its arms and swept fields. */
export type SweptArms = Pick<RunData, 'arms' | 'sweepFields'>;

/** Up to this many arms each gets a nominal colour (category10 has ten distinct ones). */
export const MAX_NOMINAL_ARMS = 10;

/**
 * A palette with a distinct colour for each of `series` nominal series: category10 up to ten, tableau20 up to
 * twenty (a run of many policies × models without a sweep); beyond that colours would repeat, and charts use
 * sweepLayout's panels instead where they can.
 */
export function nominalScheme(series: number): string {
  return series <= 10 ? 'category10' : 'tableau20';
}

/** A sequential scale that stays visible on white (viridis without its palest yellow). */
export const SEQUENTIAL_SCHEME = { name: 'viridis', extent: [0, 0.85] } as const;

export interface ArmPlacement {
  readonly arm: string;
  /** The small multiple the arm is drawn in, e.g. "minRedirects=2". */
  readonly panel: string;
  /** The value of the colour field; null for an arm that does not sweep it (drawn black). */
  readonly colourValue: number | null;
}

export interface SweepLayout {
  /** The swept field on the colour scale (and on x where a chart plots against it). */
  readonly colourField: string;
  /** What the panels are split by, for the header: the other swept fields (and policy or model if several). */
  readonly panelTitle: string;
  /** Panels in numeric order. */
  readonly panels: readonly string[];
  readonly placements: ReadonlyMap<string, ArmPlacement>;
}

const distinctValues = (arms: readonly Arm[], field: string): number => new Set(arms.map((a) => a.sweep[field]).filter((v) => v !== undefined)).size;

/** Compares arms by base policy, model, then each swept field numerically (in `fields` order), then label. */
function compareArms(fields: readonly string[]): (a: Arm, b: Arm) => number {
  return (a, b) => {
    const byName = a.basePolicy.localeCompare(b.basePolicy) || a.model.localeCompare(b.model);
    if (byName !== 0) return byName;
    for (const field of fields) {
      const x = a.sweep[field] ?? -Infinity;
      const y = b.sweep[field] ?? -Infinity;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a.label.localeCompare(b.label);
  };
}

/**
 * Arm labels in reading order: swept values numerically (0.5 before 0.55), not as text; the field with fewest
 * values varies slowest, as the panels of a sweep layout do.
 */
export function armOrder(data: SweptArms): string[] {
  const fields = [...data.sweepFields].sort((a, b) => distinctValues(data.arms, a) - distinctValues(data.arms, b) || a.localeCompare(b));
  return [...data.arms].sort(compareArms(fields)).map((arm) => arm.label);
}

/** The field of the colour scale: the swept field with most distinct values (ties: alphabetical). */
export function colourFieldOf(data: SweptArms): string | null {
  let best: string | null = null;
  for (const field of data.sweepFields) if (best === null || distinctValues(data.arms, field) > distinctValues(data.arms, best)) best = field;
  return best;
}

/** Null when every arm can have a colour of its own (no sweep, or few variants). */
export function sweepLayout(data: SweptArms): SweepLayout | null {
  const colourField = colourFieldOf(data);
  if (colourField === null || data.arms.length <= MAX_NOMINAL_ARMS) return null;
  const panelFields = data.sweepFields.filter((f) => f !== colourField);
  const severalPolicies = new Set(data.arms.map((a) => a.basePolicy)).size > 1;
  const severalModels = new Set(data.arms.map((a) => a.model)).size > 1;
  const placements = new Map<string, ArmPlacement>();
  const panels: string[] = [];
  for (const arm of [...data.arms].sort(compareArms([...panelFields, colourField]))) {
    const colourValue = arm.sweep[colourField] ?? null;
    const parts = colourValue === null
      ? [arm.label]
      : [...(severalPolicies ? [arm.basePolicy] : []), ...(severalModels ? [arm.model] : []),
         ...panelFields.flatMap((f) => (arm.sweep[f] === undefined ? [] : [`${f}=${arm.sweep[f]}`]))];
    const panel = parts.join(' · ') || 'all variants';
    if (!panels.includes(panel)) panels.push(panel);
    placements.set(arm.label, { arm: arm.label, panel, colourValue });
  }
  const titleParts = [...(severalPolicies ? ['policy'] : []), ...(severalModels ? ['model'] : []), ...panelFields];
  return { colourField, panelTitle: titleParts.join(' · '), panels, placements };
}

/** Columns of a grid of `panels` small multiples: all in one row up to `max`, then wrapped. */
export function panelColumns(panels: number, max = 5): number {
  return Math.max(1, Math.min(max, panels));
}

/**
 * Series that are identical to an earlier one (same signature), mapped to the earlier one's name: drawn dashed and
 * named "= X" in the legend, so two policies with the same results do not hide one behind the other.
 */
export function identicalSeries(signatures: ReadonlyMap<string, string>, order: readonly string[]): Map<string, string> {
  const first = new Map<string, string>();
  const same = new Map<string, string>();
  for (const name of order) {
    const signature = signatures.get(name);
    if (signature === undefined) continue;
    const earlier = first.get(signature);
    if (earlier === undefined) first.set(signature, name);
    else same.set(name, earlier);
  }
  return same;
}
