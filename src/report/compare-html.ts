/**
 * `welfare-sim compare --html FILE`: two or more runs side by side in one static page — each run's summary,
 * one policy table over all runs, the Pareto frontier across runs, and each chart of each run next to the same
 * chart of the others. No script at all: nothing in the page can run.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { comparisonParetoChart, type LabelledRun } from './charts/compare-pareto.ts';
import { CHARTS } from './charts/index.ts';
import { escapeHtml } from './html/escape.ts';
import { metricsTables } from './html/metrics-tables.ts';
import { surrogateSection } from './html/surrogate-section.ts';
import { surrogateModels } from './surrogate-note.ts';
import { loadRun } from './load-run.ts';
import { renderSvg } from './render-chart.ts';

const CSS = readFileSync(new URL('./html/report.css', import.meta.url), 'utf8') +
  '.side-by-side { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(420px, 1fr); gap: 18px; overflow-x: auto; }' +
  '.side-by-side svg { max-width: 100%; height: auto; } .run-label { font-weight: 600; margin: 4px 0; }';

/** Distinct, readable labels: the experiment name, with the directory name when two runs share one. */
function labelRuns(runDirs: readonly string[], experiments: readonly string[]): string[] {
  return runDirs.map((dir, i) => {
    const experiment = experiments[i] ?? 'run';
    const shared = experiments.filter((e) => e === experiment).length > 1;
    return shared ? `${experiment} (${basename(dir)})` : experiment;
  });
}

/**
 * Writes the comparison page for `runDirs` to `outFile` (through a temporary file, so a failure leaves nothing
 * half-written). The run directories are only read.
 */
export async function writeCompareHtml(runDirs: string[], outFile: string): Promise<void> {
  const loaded = [];
  for (const dir of runDirs) loaded.push(await loadRun(dir, { sampleSize: 0 }));
  const labels = labelRuns(runDirs, loaded.map((d) => d.manifest.experiment));
  const runs: LabelledRun[] = loaded.map((data, i) => ({ label: labels[i] ?? `run ${i + 1}`, data }));

  const summaries = runs.map(({ label, data }, i) =>
    `<section><h2>${escapeHtml(label)}</h2><p class="note">${escapeHtml(runDirs[i] ?? '')} · status ${escapeHtml(data.manifest.status)} · seed ${escapeHtml(String(data.manifest.seed ?? '—'))} · ` +
    `${data.totals.conversations} conversations (${data.totals.errored} errored) · config ${escapeHtml(data.manifest.configHash?.slice(0, 12) ?? '—')}</p>` +
    surrogateSection(data, surrogateModels(data.manifest.raw)) +
    `<div class="table-scroll">${metricsTables(data, { groups: false })}</div></section>`,
  );

  const pareto = comparisonParetoChart(runs);
  const paretoSvg = pareto === null ? '<p>No run has must-not-end conversations: no Pareto chart.</p>' : await renderSvg(pareto);

  const rows: string[] = [];
  for (const chart of CHARTS) {
    const cells: string[] = [];
    for (const run of runs) {
      const spec = chart.build(run.data);
      cells.push(`<div><div class="run-label">${escapeHtml(run.label)}</div>${spec === null ? '<p class="note">Not applicable to this run.</p>' : await renderSvg(spec)}</div>`);
    }
    rows.push(`<section><h2>${escapeHtml(chart.title)}</h2><div class="side-by-side">${cells.join('')}</div></section>`);
  }

  const title = `welfare-sim comparison — ${labels.join(' vs ')}`;
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><header class="page"><h1>${escapeHtml(title)}</h1><p>Policies of ${runs.length} runs side by side.</p></header>
<main><section><h2>Pareto frontier across runs</h2>${paretoSvg}</section>
${summaries.join('\n')}
${rows.join('\n')}</main></body></html>
`;
  const partial = `${outFile}.partial`;
  await writeFile(partial, page);
  await rename(partial, outFile);
}
