/**
 * tune-report.html: the race as a page — the frontier of the candidates still racing with their intervals and the
 * constraint limits, the candidates that left (when, why), and the rounds. Charts are vega-lite, rendered to SVG
 * at write time (no script in the page).
 */
import type { TopLevelSpec } from 'vega-lite';
import { readFileSync } from 'node:fs';
import { objectiveFigure, type Constraint } from '../core/tune-schema.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { runFile } from '../store/run-directory.ts';
import { formatEstimate, type TuneAnswer } from '../runner/tune/tune-answer.ts';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './charts/chart-style.ts';
import { escapeHtml } from './html/escape.ts';
import { renderSvg } from './render-chart.ts';

const CSS = readFileSync(new URL('./html/report.css', import.meta.url), 'utf8');

/** Objective against one constrained figure, every candidate with an estimate of both, with interval bars. */
export function frontierChart(answer: TuneAnswer, constraint: Constraint): TopLevelSpec | null {
  const { figure } = objectiveFigure(answer.objective);
  const values = answer.candidates.flatMap((c) => {
    const x = c.figures[constraint.figure];
    const y = c.figures[figure];
    if (!x || !y) return [];
    const role = answer.recommended === c.name ? 'recommended' : answer.pareto.includes(c.name) ? 'Pareto set' : c.status === 'racing' ? 'in play, not in the answer' : `left: ${c.status}`;
    return [{ candidate: c.name, x: x.value, xLow: x.low ?? x.value, xHigh: x.high ?? x.value, y: y.value, yLow: y.low ?? y.value, yHigh: y.high ?? y.value, role, round: c.leftInRound ?? 'end' }];
  });
  if (values.length === 0) return null;
  // The recommended candidate is drawn last, on top of any candidate with the same figures.
  const rank = (role: string): number => (role === 'recommended' ? 2 : role === 'Pareto set' ? 1 : 0);
  values.sort((a, b) => rank(a.role) - rank(b.role));
  const xField = { field: 'x', type: 'quantitative', title: `${constraint.figure} (${constraint.bound} bound ${constraint.bound === 'upper' ? '≤' : '≥'} ${constraint.limit})` } as const;
  const yField = { field: 'y', type: 'quantitative', title: figure } as const;
  const colour = { field: 'role', type: 'nominal', title: 'candidate', scale: { domain: ['recommended', 'Pareto set', 'in play, not in the answer', 'left: infeasible', 'left: dominated'], range: ['#d62728', '#1f77b4', '#9ecae1', '#bbbbbb', '#888888'] } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: { text: `${figure} against ${constraint.figure}`, subtitle: `bars: ${(answer.level * 100).toPrecision(4)}% intervals; dashed: the limit` },
    width: 520,
    height: 320,
    data: { values },
    layer: [
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x: { field: 'xLow', type: 'quantitative' }, x2: { field: 'xHigh' }, y: yField, color: colour } },
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' }, x: xField, color: colour } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: xField, y: yField, color: colour, tooltip: [{ field: 'candidate' }, { field: 'role' }, { field: 'round' }] } },
      { data: { values: [{ limit: constraint.limit }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#444' }, encoding: { x: { field: 'limit', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Candidates still racing after each round. */
export function historyChart(answer: TuneAnswer): TopLevelSpec {
  const values = answer.history.map((h) => ({ round: h.round, racing: h.racing - h.eliminated.length, conversations: h.conversations, repetitions: h.repetitions }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: { text: 'Candidates still racing after each round', subtitle: 'tooltip: repetitions reached and conversations the round ran' },
    width: 420,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'round', type: 'ordinal' },
      y: { field: 'racing', type: 'quantitative', title: 'candidates racing' },
      tooltip: [{ field: 'repetitions' }, { field: 'conversations' }],
    },
  } as TopLevelSpec;
}

function candidateTable(answer: TuneAnswer): string {
  const { figure } = objectiveFigure(answer.objective);
  const figures = [figure, ...answer.constraints.map((c) => c.figure).filter((f) => f !== figure)];
  const head = ['candidate', 'status', 'left in round', 'why', 'repetitions', 'conversations', ...figures].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = answer.candidates.map((c) => {
    const mark = c.name === answer.recommended ? ' (recommended)' : answer.pareto.includes(c.name) ? ' (Pareto set)' : '';
    const cells = [c.name + mark, c.status, String(c.leftInRound ?? '–'), c.reason ?? '', String(c.repetitions), String(c.conversations), ...figures.map((f) => formatEstimate(c.figures[f]))];
    return `<tr>${cells.map((x) => `<td>${escapeHtml(x)}</td>`).join('')}</tr>`;
  });
  return `<div class="table-scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export async function writeTuneReport(runDir: string, answer: TuneAnswer): Promise<string> {
  const charts: string[] = [];
  for (const constraint of answer.constraints) {
    const spec = frontierChart(answer, constraint);
    if (spec) charts.push(await renderSvg(spec));
  }
  const history = answer.history.map((h) =>
    `<li>Round ${h.round}: ${h.racing} racing to ${h.repetitions} repetitions (${h.conversations} conversations); ` +
    (h.eliminated.length === 0 ? 'none left.' : `left: ${h.eliminated.map((e) => `<b>${escapeHtml(e.candidate)}</b> (${escapeHtml(e.status)}: ${escapeHtml(e.reason)})`).join('; ')}.`) + '</li>',
  );
  const title = `welfare-sim tune — ${answer.experiment}`;
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><header class="page"><h1>${escapeHtml(title)}</h1>
<p>${answer.candidates.length} candidates, ${answer.conversations} conversations. Each interval is ${(answer.level * 100).toPrecision(6)}% two-sided, so that all ${answer.tests} intervals the race may look at hold together with ${(answer.confidence * 100).toFixed(0)}% confidence (Bonferroni; docs/tune.md).
${answer.stopped ? `<b>The race stopped early: ${escapeHtml(answer.stopped)}.</b>` : ''}
Recommended: <b>${escapeHtml(answer.recommended ?? 'none (no candidate is proven feasible)')}</b>${answer.unsettled.length > 0 ? `; not settled: ${escapeHtml(answer.unsettled.join(', '))}` : ''}.</p></header>
<main><section><h2>Frontier</h2>${charts.join('\n') || '<p>No constraint to plot against.</p>'}</section>
<section><h2>Race history</h2>${await renderSvg(historyChart(answer))}<ol>${history.join('')}</ol></section>
<section><h2>Candidates</h2>${candidateTable(answer)}</section></main></body></html>
`;
  const path = runFile(runDir, 'tuneReport');
  writeFileAtomic(path, page);
  return path;
}
