/**
 * The report's statement on calibrated surrogates: a section at the top saying whose predictions the figures are
 * and how far off they were on held-out users, and a footer row under each metrics table giving each column's
 * error. A run without a surrogate gets none of it (empty strings), so its page is unchanged.
 */
import { HELD_OUT_METRICS, type CellError, type HeldOutMetric } from '../../core/calibration-error.ts';
import type { RunData } from '../run-data.ts';
import { errorPhrase, figureError, formatError, UNCHECKED_FIGURES, type Figure, type SurrogateModel } from '../surrogate-note.ts';
import { escapeHtml } from './escape.ts';

const METRIC_LABEL: Record<HeldOutMetric, string> = {
  endRate: 'end rate',
  timeToEnd: 'time to end (turns, among ended)',
  vetoedAttempts: 'vetoed end attempts per conversation',
  preferEndShare: 'share of turns preferring to end',
};

/** Styles of the section only, inlined with it: a page without a surrogate keeps its stylesheet byte for byte. */
const STYLE = '<style>.surrogate{border:2px solid #b54708;background:#fff7ed;padding:10px 16px;border-radius:4px}.surrogate p{max-width:1000px}' +
  '.surrogate h2{border:0;margin-top:4px}tfoot th,tfoot td{background:#fff7ed;color:#7a2e0e;font-size:11.5px;white-space:normal}</style>';

function errorCells(error: CellError, metric: HeldOutMetric): string {
  if (error.meanAbsError === null) return `<td>—</td><td>—</td><td>—</td><td>${error.off} off, no cell with both figures</td>`;
  const band = error.band === null ? '—' : `${formatError(metric, error.band[0]).split(' ')[0]} – ${formatError(metric, error.band[1])}`;
  return `<td><strong>±${escapeHtml(formatError(metric, error.meanAbsError))}</strong></td><td>${escapeHtml(band)}</td>` +
    `<td>${escapeHtml(formatError(metric, error.maxAbsError ?? 0))}</td><td>${error.cells} (${error.consistent} consistent, ${error.off} off)</td>`;
}

function heldOutTable(model: SurrogateModel): string {
  const heldOut = model.heldOut;
  if (heldOut === null) return '';
  const rows = HELD_OUT_METRICS.flatMap((metric) => {
    const e = heldOut.error[metric];
    const overall = `<tr><th scope="row">${escapeHtml(METRIC_LABEL[metric])}</th><td>all held-out classes</td>${errorCells(e, metric)}</tr>`;
    const byClass = Object.entries(e.byClass).map(([cls, c]) => `<tr><td></td><td>${escapeHtml(cls)}</td>${errorCells(c, metric)}</tr>`);
    return [overall, ...byClass];
  });
  return `<div class="table-scroll"><table class="metrics"><caption>Calibration error of ${escapeHtml(model.id)} on held-out users</caption><thead><tr><th>figure</th><th>class</th>` +
    '<th>calibration error (mean |predicted − observed|)</th><th>band (mean of 95% bounds)</th><th>largest</th><th>cells compared</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></div>`;
}

function modelStatement(model: SurrogateModel, data: RunData): string {
  const heldOut = model.heldOut;
  const intro = `<p><strong>${escapeHtml(model.id)}</strong> is not a recorded model but a simulated profile fitted by <code>welfare-sim calibrate</code>: ` +
    `every figure of ${escapeHtml(model.id)} in this report, tables and charts, is <strong>predicted by a surrogate fitted to ${escapeHtml(model.source)}</strong>.` +
    `${model.note === null ? '' : ` The source, as the calibration describes it: <em>${escapeHtml(model.note)}</em>.`}</p>`;
  if (heldOut === null) {
    return `${intro}<p class="warn">Its error is <strong>not checked on held-out users</strong>: its provenance records no held-out check (calibrated without <code>--holdout</code>), so how well it predicts users it never saw is unknown.</p>`;
  }
  const policies = [...new Set(data.arms.map((a) => a.basePolicy))];
  const unseen = policies.filter((p) => !heldOut.policies.includes(p));
  const checkedClasses = new Set(HELD_OUT_METRICS.flatMap((m) => Object.keys(heldOut.error[m].byClass)));
  const uncheckedClasses = data.classes.filter((c) => !checkedClasses.has(c));
  const swept = data.sweepFields.length > 0 ? ` This run sweeps ${data.sweepFields.join(', ')}: values the source runs did not use are extrapolations the held-out check did not cover.` : '';
  return intro +
    `<p>Calibration error on ${heldOut.users.length} held-out users (whole users the fit never saw: ${escapeHtml(heldOut.users.join(', '))}), each predicted through the runner ` +
    `under the source runs' policies (${escapeHtml(heldOut.policies.join(', '))})${unseen.length > 0 ? `, not under ${escapeHtml(unseen.join(', '))}` : ''}.${escapeHtml(swept)} ` +
    `The error is the mean absolute difference between predicted and observed over the held-out (class, policy) cells; the band averages each cell's 95% bounds on that difference.</p>` +
    heldOutTable(model) +
    `<p><strong>Not checked on held-out users:</strong> ${escapeHtml(UNCHECKED_FIGURES.join(', '))}` +
    `${uncheckedClasses.length > 0 ? `; and every figure of the classes no held-out user belonged to (${escapeHtml(uncheckedClasses.join(', '))})` : ''}.</p>` +
    (heldOut.adequate
      ? '<p>The calibration found no misfit by its checks (docs/calibration.md, "Misfit").</p>'
      : `<p class="warn"><strong>The calibration found a misfit</strong>: ${escapeHtml(heldOut.misfit.join(' '))} Read this model's figures as rough.</p>`);
}

/** The section at the top of the page; '' for a run without a calibrated surrogate. */
export function surrogateSection(data: RunData, models: readonly SurrogateModel[]): string {
  if (models.length === 0) return '';
  return `${STYLE}<section id="surrogate" class="surrogate" role="note"><h2>Predicted by a surrogate</h2>${models.map((m) => modelStatement(m, data)).join('')}</section>`;
}

/** A footer cell of a column no held-out metric covers. */
export const NOT_CHECKED_CELL = '<td title="not checked on held-out users">not checked</td>';

/** One footer cell: the figure's error for a surrogate, or "not checked" with the reason in its title. */
export function footerCell(model: SurrogateModel, figure: Figure, cls?: string): string {
  const result = figureError(model, figure, cls);
  const title = result.checked
    ? `predicted by a surrogate fitted to ${model.source}; calibration error ${errorPhrase(result)} on held-out users (largest ${formatError(result.metric, result.error.maxAbsError ?? 0)}; ${result.error.off} of ${result.error.cells} cells off)`
    : errorPhrase(result);
  return `<td title="${escapeHtml(title)}">${escapeHtml(result.checked ? errorPhrase(result) : 'not checked')}</td>`;
}
