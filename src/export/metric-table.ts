/**
 * The `metrics` table: metrics.json in long form, one row per metric × group, with the value, its interval and
 * the number it rests on. Groups are (policy, model, class) — scope `class` — and (policy, model) over all
 * classes — scope `policy`. The figures are read from metrics.json as they are; nothing is recomputed here, so the
 * table says exactly what the report says.
 */
import type { MetricsFile } from '../core/records.ts';
import { sweepColumns, type Column, type TableSpec } from './table.ts';

export type MetricKind = 'rate' | 'mean' | 'median' | 'count';

export interface MetricRow {
  readonly run: string;
  readonly experiment: string;
  readonly scope: 'class' | 'policy';
  readonly policy: string;
  readonly basePolicy: string;
  readonly sweep: Readonly<Record<string, number>>;
  readonly model: string;
  readonly userClass: string | null;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly successes: number | null;
  readonly n: number | null;
  readonly notMeasured: string | null;
}

const IDENTITY_KEYS = new Set(['policy', 'basePolicy', 'sweep', 'model', 'class', 'notMeasured']);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

type Figures = Omit<MetricRow, 'run' | 'experiment' | 'scope' | 'policy' | 'basePolicy' | 'sweep' | 'model' | 'userClass' | 'notMeasured'>;

/**
 * The figures of one group, whatever metrics it carries: a rate ({value, low, high, successes, trials}), a mean
 * ({mean, low, high}), a median ({median}), a count, or a mapping of counts (outcomes, occupancy).
 * `meanN` is the number of conversations a mean rests on, `ended` the number of ended ones (for medians).
 */
function figuresOf(group: Record<string, unknown>, meanN: number | null, ended: number | null): Figures[] {
  const rows: Figures[] = [];
  const none = { low: null, high: null, successes: null };
  for (const [metric, figure] of Object.entries(group)) {
    if (IDENTITY_KEYS.has(metric)) continue;
    if (typeof figure === 'number') rows.push({ metric, kind: 'count', value: figure, ...none, n: null });
    else if (!isRecord(figure)) continue;
    else if ('trials' in figure) {
      rows.push({ metric, kind: 'rate', value: num(figure.value), low: num(figure.low), high: num(figure.high), successes: num(figure.successes), n: num(figure.trials) });
    } else if ('mean' in figure) rows.push({ metric, kind: 'mean', value: num(figure.mean), low: num(figure.low), high: num(figure.high), successes: null, n: meanN });
    else if ('median' in figure) rows.push({ metric, kind: 'median', value: num(figure.median), ...none, n: ended });
    else {
      for (const [key, count] of Object.entries(figure)) {
        if (typeof count === 'number') rows.push({ metric: `${metric}.${key}`, kind: 'count', value: count, ...none, n: null });
      }
    }
  }
  return rows;
}

/** Every row of one run's metrics.json: the class groups first, then the per-policy summaries. */
export function metricRows(run: string, metrics: MetricsFile): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const group of metrics.groups) {
    const raw = group as unknown as Record<string, unknown>;
    const key = { run, experiment: metrics.experiment, scope: 'class' as const, policy: group.policy, basePolicy: group.basePolicy, sweep: group.sweep, model: group.model, userClass: group.class };
    for (const figures of figuresOf(raw, group.conversations - group.errored, group.ended)) {
      rows.push({ ...key, ...figures, notMeasured: figures.metric === 'endRate' ? (group.notMeasured ?? null) : null });
    }
  }
  for (const summary of metrics.policies) {
    const raw = summary as unknown as Record<string, unknown>;
    const key = { run, experiment: metrics.experiment, scope: 'policy' as const, policy: summary.policy, basePolicy: summary.basePolicy, sweep: summary.sweep, model: summary.model, userClass: null };
    const notes: Readonly<Record<string, string | undefined>> = summary.notMeasured ?? {};
    for (const figures of figuresOf(raw, summary.conversations, null)) rows.push({ ...key, ...figures, notMeasured: notes[figures.metric] ?? null });
  }
  return rows;
}

type C = Column<MetricRow>;

/** The metrics table for runs whose sweeps cover these fields. */
export function metricTable(sweepFields: readonly string[]): TableSpec<MetricRow> {
  const columns: C[] = [
    { name: 'run', type: 'string', description: 'The run directory, as given to export.', value: (r) => r.run },
    { name: 'experiment', type: 'string', description: 'The experiment name.', value: (r) => r.experiment },
    { name: 'scope', type: 'string', description: 'class: a (policy, model, class) group; policy: a (policy, model) summary over all classes.', value: (r) => r.scope },
    { name: 'policy', type: 'string', description: 'The policy as run (sweep variants carry their values).', value: (r) => r.policy },
    { name: 'base_policy', type: 'string', description: 'The policy file the variant was made from.', value: (r) => r.basePolicy },
    ...sweepColumns<MetricRow>(sweepFields, (r) => r.sweep),
    { name: 'model', type: 'string', description: 'The model entry id.', value: (r) => r.model },
    { name: 'user_class', type: 'string', description: 'The class of the group; empty for scope policy.', value: (r) => r.userClass },
    { name: 'metric', type: 'string', description: 'The field of metrics.json: endRate, appropriateEndRate, distressExposure, turnsToEnd, outcomes.ended-by-model, occupancy.engaged, … (README, "Metrics").', value: (r) => r.metric },
    { name: 'kind', type: 'string', description: 'rate (a share with its interval) | mean (with its interval) | median | count.', value: (r) => r.kind },
    { name: 'value', type: 'number', description: 'The rate (0..1), mean, median or count; empty where it is undefined (a median of no ended conversations).', value: (r) => r.value },
    { name: 'low', type: 'number', description: 'Lower end of the 95% interval of a rate or mean, as metrics.json gives it.', value: (r) => r.low },
    { name: 'high', type: 'number', description: 'Upper end of the 95% interval.', value: (r) => r.high },
    { name: 'successes', type: 'integer', description: 'For a rate: the conversations counted (e.g. ended).', value: (r) => r.successes },
    { name: 'n', type: 'integer', description: 'What the figure rests on: a rate\'s trials, the completed conversations of a mean, the ended conversations of a median; empty for counts.', value: (r) => r.n },
    { name: 'not_measured', type: 'string', description: 'Set when the configuration cannot make this rate non-zero: why. A zero there is not a measurement.', value: (r) => r.notMeasured },
  ];
  return { name: 'metrics', description: 'metrics.json in long form: one row per metric × group.', columns };
}
