/**
 * Which models of a run are calibrated surrogates, and what their held-out error says about each figure of the
 * report. A surrogate's figures are predictions: every figure the hold-out checked carries its error ("predicted by
 * a surrogate fitted to X; calibration error ±x on held-out users"), every other figure says it was not checked.
 * Read from the run's manifest (the resolved config embeds each profile with its provenance), so a run directory
 * states it on its own, with no file beside the profile needed.
 */
import { heldOutSchema, pooledError, type CellError, type HeldOut, type HeldOutMetric } from '../core/calibration-error.ts';
import { END_ELIGIBLE_CLASSES, MUST_NEVER_END_CLASSES, MUST_NOT_END_CLASSES } from '../core/labels.ts';

export interface SurrogateModel {
  readonly id: string;
  /** "claude-opus-tool in runs/pilot (experiment pilot, config 0123456789ab), 232 turns of 8 users". */
  readonly source: string;
  /** The researcher's words on the source (`calibrate --note`), or null. */
  readonly note: string | null;
  /** The held-out check; null when the provenance records none (calibrated without --holdout). */
  readonly heldOut: HeldOut | null;
}

interface Source {
  readonly run?: unknown;
  readonly experiment?: unknown;
  readonly configHash?: unknown;
}

const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** The calibrated simulated models of a run's resolved config (`manifest.config.models`); [] when there are none. */
export function surrogateModels(manifest: { readonly config?: unknown }): SurrogateModel[] {
  const models = (manifest.config as { models?: unknown } | undefined)?.models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: unknown): SurrogateModel[] => {
    const model = entry as { id?: unknown; kind?: unknown; provenance?: Record<string, unknown> } | null;
    const provenance = model?.provenance;
    if (model?.kind !== 'simulated' || provenance === undefined || !Array.isArray(provenance.calibratedFrom)) return [];
    const runs = (provenance.calibratedFrom as Source[]).map((s) => `${text(s.run) ?? 'a run'} (experiment ${text(s.experiment) ?? '?'}, config ${text(s.configHash)?.slice(0, 12) ?? '?'})`);
    const users = Array.isArray(provenance.users) ? provenance.users.length : typeof provenance.users === 'number' ? provenance.users : null;
    const turns = typeof provenance.turnsUsed === 'number' ? `, ${provenance.turnsUsed} turns${users === null ? '' : ` of ${users} users`}` : '';
    const heldOut = heldOutSchema.safeParse(provenance.heldOut);
    return [{
      id: text(model.id) ?? '?',
      source: `${text(provenance.model) ?? 'a recorded model'} in ${runs.join(' and ')}${turns}`,
      note: text(provenance.note),
      heldOut: heldOut.success ? heldOut.data : null,
    }];
  });
}

/** The report's figures a surrogate's error can speak to, and the held-out metric and classes behind each. */
export const FIGURES = {
  appropriateEndRate: { label: 'appropriate-end rate', metric: 'endRate', classes: END_ELIGIBLE_CLASSES },
  falseEndRate: { label: 'false-end rate', metric: 'endRate', classes: MUST_NOT_END_CLASSES },
  atRiskEndRate: { label: 'at-risk end rate', metric: 'endRate', classes: MUST_NEVER_END_CLASSES },
  endRate: { label: 'end rate', metric: 'endRate', classes: null },
  timeToEnd: { label: 'time to end', metric: 'timeToEnd', classes: null },
  vetoedEnds: { label: 'vetoed ends', metric: 'vetoedAttempts', classes: null },
  preferEndShare: { label: 'share of turns preferring to end', metric: 'preferEndShare', classes: null },
} as const satisfies Record<string, { label: string; metric: HeldOutMetric; classes: readonly string[] | null }>;
export type Figure = keyof typeof FIGURES;

/** Figures of the report no held-out metric covers. */
export const UNCHECKED_FIGURES = ['user request honoured', 'ended before turn 7', 'distress exposure', 'peak distress', 'median redirects before end', 'blocked after end', 'branches'] as const;

export type FigureError =
  | { readonly checked: true; readonly metric: HeldOutMetric; readonly error: CellError; readonly classes: readonly string[] }
  | { readonly checked: false; readonly why: string };

/**
 * The held-out error behind one figure: over the figure's own classes (the end-eligible ones for the
 * appropriate-end rate), or over `cls` for a per-class figure, or over every held-out class.
 */
export function figureError(model: SurrogateModel, figure: Figure, cls?: string): FigureError {
  if (model.heldOut === null) return { checked: false, why: 'its provenance records no held-out check: calibrated without --holdout' };
  const { metric, classes } = FIGURES[figure];
  const metricError = model.heldOut.error[metric];
  const over: readonly string[] | null = cls !== undefined ? [cls] : classes;
  const error = over === null ? metricError : pooledError(metricError, over);
  if (error === null) return { checked: false, why: `no held-out user of class ${(over ?? []).join(', ')}` };
  if (error.meanAbsError === null) return { checked: false, why: `no held-out conversation had a ${FIGURES[figure].label} to compare` };
  const covered = Object.keys(metricError.byClass).filter((c) => (over === null || over.includes(c)) && (metricError.byClass[c]?.cells ?? 0) > 0);
  return { checked: true, metric, error, classes: covered };
}

/** An error in the figure's own unit: percentage points for shares, turns, or attempts per conversation. */
export function formatError(metric: HeldOutMetric, x: number): string {
  if (metric === 'endRate' || metric === 'preferEndShare') return `${(100 * x).toFixed(1)} pp`;
  return metric === 'timeToEnd' ? `${x.toFixed(2)} turns` : `${x.toFixed(2)} per conversation`;
}

/** "±1.6 pp (abusive)" or "not checked on held-out users (…)" for one figure: the classes it rests on in brackets. */
export function errorPhrase(result: FigureError): string {
  return result.checked ? `±${formatError(result.metric, result.error.meanAbsError ?? 0)} (${result.classes.join(', ')})` : `not checked on held-out users (${result.why})`;
}

/** The sentence a figure of a surrogate carries, e.g. in a table's title or a notebook. */
export function figureStatement(model: SurrogateModel, figure: Figure, cls?: string): string {
  const result = figureError(model, figure, cls);
  return `${FIGURES[figure].label} of ${model.id}${cls === undefined ? '' : ` for ${cls}`}: predicted by a surrogate fitted to ${model.source}; ` +
    (result.checked ? `calibration error ${errorPhrase(result)} on held-out users` : errorPhrase(result));
}

/** The figures of the policy table (`compare`, the report's first table) a surrogate's error speaks to. */
const POLICY_FIGURES: readonly Figure[] = ['appropriateEndRate', 'falseEndRate', 'atRiskEndRate', 'timeToEnd', 'vetoedEnds', 'preferEndShare'];

/** Plain-text lines for `compare` and the CLI: whose predictions these are, each figure's error, what is unchecked. */
export function surrogateLines(model: SurrogateModel): string[] {
  const heldOut = model.heldOut;
  const lines = [`${model.id}: predicted by a surrogate fitted to ${model.source}${model.note === null ? '' : ` (${model.note})`}.`];
  if (heldOut === null) return [...lines, '  not checked on held-out users (its provenance records no held-out check: calibrated without --holdout): how well it predicts unseen users is unknown.'];
  lines.push(`  calibration error on ${heldOut.users.length} held-out users, predicted under the source runs' policies (${heldOut.policies.join(', ')}):`);
  for (const figure of POLICY_FIGURES) lines.push(`    ${FIGURES[figure].label}: ${errorPhrase(figureError(model, figure))}`);
  lines.push(`  not checked on held-out users: ${UNCHECKED_FIGURES.join(', ')}.`);
  if (!heldOut.adequate) lines.push(`  the calibration found a misfit: ${heldOut.misfit.join(' ')}`);
  return lines;
}

/**
 * A chart subtitle line per surrogate of the run, for the figures `figures` plots: whose predictions they are and
 * each one's held-out error, or that it was not checked. [] for a run without a surrogate (the chart is unchanged).
 */
export function surrogateChartNote(manifest: { readonly config?: unknown }, modelsRun: ReadonlySet<string>, figures: readonly (Figure | 'distressExposure')[]): string[] {
  return surrogateModels(manifest).filter((m) => modelsRun.has(m.id)).flatMap((m) => {
    const parts = figures.map((f) => (f === 'distressExposure' ? 'distress exposure not checked' : `${FIGURES[f].label} ${m.heldOut === null ? 'not checked' : errorPhrase(figureError(m, f)).replace(/^not checked on held-out users/, 'not checked')}`));
    return [`Predicted by the surrogate ${m.id} (fitted to ${m.source.split(' in ')[0]}); calibration error on held-out users:`, `${parts.join('; ')}.`];
  });
}
