/**
 * The calibration's outputs beside the profile: calibration.json (the summary) and calibration.html (the same,
 * readable, with a predicted-vs-observed chart rendered by the report's own chart machinery).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from '../report/html/escape.ts';
import { renderSvg } from '../report/render-chart.ts';
import type { CalibrationSummary } from './calibrate.ts';

const CSS = readFileSync(new URL('../report/html/report.css', import.meta.url), 'utf8');
const fmt = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

export function holdoutChart(summary: CalibrationSummary): TopLevelSpec {
  const values = summary.holdout
    .filter((r) => r.observed.value !== null && r.predicted.value !== null)
    .map((r) => ({ metric: r.metric, cell: `${r.cls} · ${r.policy}`, observed: r.observed.value, predicted: r.predicted.value, oLow: r.observed.low, oHigh: r.observed.high, verdict: r.verdict }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null },
    columns: 2,
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 220,
      height: 220,
      layer: [
        { mark: { type: 'rule', color: '#888' }, encoding: { x: { field: 'predicted', type: 'quantitative', title: 'predicted' }, y: { field: 'oLow', type: 'quantitative', title: 'observed (95% interval)' }, y2: { field: 'oHigh' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: { field: 'predicted', type: 'quantitative' }, y: { field: 'observed', type: 'quantitative' }, color: { field: 'verdict', type: 'nominal' }, tooltip: [{ field: 'cell' }] } },
      ],
    },
  } as TopLevelSpec;
}

export async function writeCalibrationReport(dir: string, summary: CalibrationSummary): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(summary, null, 2) + '\n');
  const chart = summary.holdout.length > 0 ? await renderSvg(holdoutChart(summary)) : '';
  const estimates = summary.estimates
    .map((e) => `<tr><td>${escapeHtml(e.name)}</td><td>${fmt(e.value)}</td><td>${fmt(e.low)} – ${fmt(e.high)}</td><td>${e.identified ? 'yes' : '<strong>no</strong>'}</td><td>${escapeHtml(e.note ?? '')}</td></tr>`)
    .join('');
  const holdout = summary.holdout
    .map((r) => `<tr><td>${escapeHtml(r.cls)}</td><td>${escapeHtml(r.policy)}</td><td>${r.metric}</td><td>${fmt(r.observed.value)} (${fmt(r.observed.low)} – ${fmt(r.observed.high)})</td><td>${fmt(r.predicted.value)} (${fmt(r.predicted.low)} – ${fmt(r.predicted.high)})</td><td>${r.verdict}</td></tr>`)
    .join('');
  const list = (items: readonly string[], none: string): string => (items.length === 0 ? `<p>${none}</p>` : `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calibration: ${escapeHtml(summary.id)}</title><style>${CSS}</style></head><body><main>
<h1>Calibration of ${escapeHtml(summary.id)} to ${escapeHtml(summary.model)}</h1>
<p>Fitted on ${summary.turnsUsed} turns of ${summary.usersFitted.length} users from ${summary.sources.map((s) => `${escapeHtml(s.dir)} (config ${s.configHash.slice(0, 12)})`).join(', ')}; ${summary.usersHeldOut.length} users held out; seed ${summary.seed}; ${summary.bootstrap} bootstrap replicates over users.</p>
<h2>Verdict</h2><p><strong>${summary.adequate ? 'No misfit found by these checks.' : 'Misfit: predictions from this profile should not be trusted as they stand.'}</strong></p>
${list(summary.diagnostics, 'No diagnostic flagged a misfit.')}
<h2>Not identified by the data</h2>${list(summary.notIdentified, 'Every fitted parameter is constrained by the data.')}
<h2>Parameters</h2><table><thead><tr><th>parameter</th><th>estimate</th><th>95% interval</th><th>identified</th><th>note</th></tr></thead><tbody>${estimates}</tbody></table>
<h2>Held-out users: predicted vs observed</h2>${summary.holdout.length === 0 ? '<p>No users were held out (use --holdout).</p>' : `${chart}<table><thead><tr><th>class</th><th>policy</th><th>metric</th><th>observed</th><th>predicted</th><th>verdict</th></tr></thead><tbody>${holdout}</tbody></table>`}
</main></body></html>
`;
  writeFileSync(join(dir, 'calibration.html'), html);
}
