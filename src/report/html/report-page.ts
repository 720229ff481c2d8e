/**
 * report.html as one string: a self-contained page (styles, vega builds, data and script inline) that opens
 * from disk with no network. Static parts are escaped here; the transcript browser builds its DOM from the
 * embedded JSON with textContent (client/conversation-view.js).
 */
import { readFileSync } from 'node:fs';
import type { RenderedChart } from '../write-charts.ts';
import type { RunData, TranscriptSample } from '../run-data.ts';
import { escapeHtml, inlineScript, jsonForScript } from './escape.ts';
import { metricsGlossary, metricsTables } from './metrics-tables.ts';
import { surrogateModels } from '../surrogate-note.ts';
import { surrogateSection } from './surrogate-section.ts';
import { vendorScripts } from './vendor-scripts.ts';

const asset = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');

/**
 * The page's own scripts (browser JavaScript under client/, type-checked by tsconfig.browser.json), in run order:
 * the conversation view listens before the transcript list sends it the first conversation. Each is an inline
 * module script, so each has its own scope and runs after the vega builds.
 */
const CLIENT_SCRIPTS = ['interactive-charts.js', 'sortable-tables.js', 'conversation-view.js', 'transcript-list.js'] as const;

function clientScripts(): string {
  return CLIENT_SCRIPTS.map((name) => `<script type="module">${inlineScript(asset(`./client/${name}`), name)}</script>`).join('\n');
}

/**
 * No network at all: nothing may be fetched, framed or posted. Inline scripts and styles are the page's own;
 * vega compiles expressions with `new Function`, hence 'unsafe-eval'.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; " +
  "connect-src 'none'; form-action 'none'; base-uri 'none'";

function fact(label: string, value: string | number | null): string {
  return `<div class="fact"><span class="fact-label">${escapeHtml(label)}</span><span class="fact-value">${escapeHtml(value === null ? '—' : String(value))}</span></div>`;
}

/** Whether the manifest's resolved config lists a simulated model (its signals are then synthetic). */
function usesSimulatedModel(manifest: Readonly<Record<string, unknown>>): boolean {
  const config = manifest.config as { models?: unknown } | undefined;
  return Array.isArray(config?.models) && config.models.some((model: unknown) => (model as { kind?: unknown } | null)?.kind === 'simulated');
}

/**
 * What must never happen gets a line at the top: conversations ended after the user disclosed a risk, ends the gate
 * permitted while it saw the user at risk, and warnings about ending given to users at risk.
 */
function safetyAlert(data: RunData): string {
  const lines = data.armSummaries.flatMap((arm) => {
    const found: string[] = [];
    const ended = arm.atRiskEndRate?.successes ?? 0;
    if (ended > 0) found.push(`${arm.label}: ${ended} of ${arm.atRiskEndRate?.trials} at-risk conversations ended after the user disclosed the risk`);
    if (arm.gateAtRiskEnds > 0) found.push(`${arm.label}: ${arm.gateAtRiskEnds} ends the gate permitted while it saw the user at risk`);
    if (arm.atRiskWarnings > 0) found.push(`${arm.label}: ${arm.atRiskWarnings} warnings about ending given to users at risk`);
    return found;
  });
  if (lines.length === 0) return '';
  return `<p class="alert" role="alert"><strong>At-risk users</strong> (each must be 0): ${escapeHtml(lines.join('; '))}.</p>`;
}

function summarySection(data: RunData): string {
  const m = data.manifest;
  const policies = [...new Set(data.arms.map((a) => a.policy))];
  const models = [...new Set(data.arms.map((a) => a.model))];
  const simulated = usesSimulatedModel(m.raw);
  return `<section id="summary"><h2>Summary</h2><div class="summary">` +
    fact('experiment', m.experiment) + fact('status', m.status) + fact('seed', m.seed) + fact('config hash', m.configHash?.slice(0, 16) ?? null) +
    fact('started', m.startedAt) + fact('finished', m.finishedAt) + fact('conversations', data.totals.conversations) +
    fact('errored', data.totals.errored) + fact('turns recorded', data.totals.turnEvents) + fact('policies', policies.length) +
    fact('models', models.join(', ')) + fact('scenario classes', data.classes.join(', ')) +
    (data.sweepFields.length ? fact('swept fields', data.sweepFields.join(', ')) : '') +
    `</div>${safetyAlert(data)}<p class="note">"Distress" and "preference" are the model's <em>apparent</em> signals as recorded by the run's instruments` +
    `${simulated ? ' — here at least partly from the <strong>simulated</strong> model, a synthetic stand-in, not a real model' : ''}. ` +
    `Intervals are 95% and clustered on users (each scenario or persona with one model): rates use Wilson at the effective n, means a t interval over users; a mean from one user has no interval (docs/statistics.md).</p>` +
    `<details><summary>Full manifest</summary><pre class="manifest">${escapeHtml(JSON.stringify(m.raw, null, 2))}</pre></details></section>`;
}

function chartsSection(charts: readonly RenderedChart[], interactive: ReadonlySet<string>): string {
  const figures = charts.map((chart) =>
    // the chart draws its own title, so the figure is labelled rather than captioned twice
    `<figure class="chart" id="chart-${escapeHtml(chart.name)}" aria-label="${escapeHtml(chart.title)}">` +
    `<div class="static">${chart.svg}</div>` +
    (interactive.has(chart.name)
      ? `<details class="interactive" data-chart="${escapeHtml(chart.name)}"><summary>Interactive version (tooltips)</summary>` +
        `<div class="embed-target"></div></details>`
      : `<p class="note">The interactive version would take this page over ${PAGE_BUDGET / 1e6} MB: open charts/${escapeHtml(chart.name)}.vl.json in any vega-lite tool.</p>`) +
    '</figure>',
  );
  return `<section id="charts"><h2>Charts</h2>${figures.join('\n') || '<p>No charts: the run has no conversations.</p>'}</section>`;
}

function transcriptsSection(data: RunData, shown: number): string {
  const note = shown < data.totals.conversations
    ? `${shown} of ${data.totals.conversations} conversations are included (a stratified sample: every policy × class × outcome, vetoed ends and branches first, as many as keep the page under ${PAGE_BUDGET / 1e6} MB); all are in events.jsonl.`
    : `All ${shown} conversations are included.`;
  return `<section id="transcripts"><h2>Transcripts</h2><p class="note">${escapeHtml(note)}</p>` +
    `<div class="browser-controls"><label>policy <select id="filter-policy"></select></label>` +
    `<label>class <select id="filter-class"></select></label><label>outcome <select id="filter-outcome"></select></label></div>` +
    `<select id="conversation-list" size="8" aria-label="conversation"></select><div id="conversation-view"></div></section>`;
}

/** The page stays under this many bytes, whatever the size of the run (the 5 MB promise, with room to spare). */
export const PAGE_BUDGET = 4_900_000;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The whole page. `charts` carry their SVG (inlined) and spec (for the interactive versions). The page is held
 * under PAGE_BUDGET: interactive specs are left out, largest first, while the rest is over it, and transcripts
 * (in sample order) fill what room is left.
 */
export function renderReportPage(data: RunData, charts: readonly RenderedChart[]): string {
  const interactive = new Set(charts.map((c) => c.name));
  let page = assemble(data, charts, interactive, []);
  const largestFirst = [...charts].sort((a, b) => bytes(JSON.stringify(b.spec)) - bytes(JSON.stringify(a.spec)));
  for (const chart of largestFirst) {
    if (bytes(page) <= PAGE_BUDGET) break;
    interactive.delete(chart.name);
    page = assemble(data, charts, interactive, []);
  }
  let room = PAGE_BUDGET - bytes(page);
  const kept: TranscriptSample[] = [];
  for (const transcript of data.transcripts) {
    const size = bytes(jsonForScript(transcript)) + 1;
    if (size > room) continue;
    kept.push(transcript);
    room -= size;
  }
  return assemble(data, charts, interactive, kept);
}

function assemble(data: RunData, charts: readonly RenderedChart[], interactive: ReadonlySet<string>, transcripts: readonly TranscriptSample[]): string {
  const payload = {
    charts: charts.filter((c) => interactive.has(c.name)).map((c) => ({ name: c.name, title: c.title, spec: c.spec })),
    transcripts,
  };
  const title = `welfare-sim report — ${data.manifest.experiment}`;
  const modelsRun = new Set(data.arms.map((a) => a.model));
  const surrogate = surrogateSection(data, surrogateModels(data.manifest.raw).filter((m) => modelsRun.has(m.id)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${asset('./report.css')}</style></head>
<body><header class="page"><h1>${escapeHtml(title)}</h1>
<p>When, and under which rules, may a model leave a conversation — and what does each rule cost the model and the user?</p></header>
<nav class="toc">${surrogate === '' ? '' : '<a href="#surrogate">Surrogate</a>'}<a href="#summary">Summary</a><a href="#metrics">Metrics</a><a href="#charts">Charts</a><a href="#transcripts">Transcripts</a></nav>
<main>${surrogate}${summarySection(data)}
<section id="metrics"><h2>Metrics</h2>${metricsGlossary()}<div class="table-scroll">${metricsTables(data)}</div></section>
${chartsSection(charts, interactive)}
${transcriptsSection(data, transcripts.length)}</main>
<script type="application/json" id="report-data">${jsonForScript(payload)}</script>
<script>${vendorScripts()}</script>
${clientScripts()}
</body></html>
`;
}
