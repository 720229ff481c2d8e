/**
 * Report speed on a 100,000-conversation run (issue 3: every chart < 10 s, report page < 5 MB).
 *
 *   npm run bench:report                 # a synthetic 100,000-conversation run built from the record types
 *   npm run bench:report -- RUN_DIR      # an existing run directory instead
 *
 * Prints the time to stream and aggregate the jsonl files, to render every chart (SVG, then PNG) and to write
 * report.html, and the page's size. Exits 1 when a budget is exceeded.
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadRun } from '../src/report/load-run.ts';
import { renderCharts } from '../src/report/write-charts.ts';
import { svgToPng } from '../src/report/render-chart.ts';
import { writeReport } from '../src/report/write-report.ts';
import { fixtureRecords } from '../test/report/fixture-run.ts';

const CONVERSATIONS = 100_000;
const CHART_BUDGET_MS = 10_000;
const PAGE_BUDGET_BYTES = 5 * 1024 * 1024;

/** Writes a synthetic run in chunks (4 classes × 2 policies × 500 repetitions = 4,000 conversations each). */
function syntheticRun(dir: string): string {
  const classes = ['abusive', 'benign', 'at-risk', 'emotional', 'harmful', 'disagreement', 'tough', 'correction'] as const;
  const perChunk = 500;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 1, experiment: 'bench-100k', configHash: 'bench', seed: 1, startedAt: null, finishedAt: null, status: 'complete', counts: { completed: CONVERSATIONS, errored: 0 } }));
  let written = 0;
  for (let chunk = 0; written < CONVERSATIONS; chunk++) {
    const { conversations, events } = fixtureRecords({ classes: [...classes], minRedirects: [1, 3], repetitions: perChunk, firstRepetition: chunk * perChunk, firstIndex: written, maxTurns: 8 });
    const take = conversations.slice(0, CONVERSATIONS - written);
    const ids = new Set(take.map((c) => c.id));
    appendFileSync(join(dir, 'conversations.jsonl'), take.map((c) => JSON.stringify(c)).join('\n') + '\n');
    appendFileSync(join(dir, 'events.jsonl'), events.filter((e) => ids.has(e.conversation)).map((e) => JSON.stringify(e)).join('\n') + '\n');
    written += take.length;
  }
  return dir;
}

/** Wall time and this process's CPU time of a step: on a shared machine the two differ a lot. */
async function timed<T>(label: string, step: () => Promise<T> | T): Promise<{ value: T; wallMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await step();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${wallMs.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU`);
  return { value, wallMs };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const given = process.argv[2];
const scratch = given === undefined ? mkdtempSync(join(tmpdir(), 'welfare-sim-bench-')) : null;
try {
  const runDir = given ?? syntheticRun(scratch as string);
  console.log(`run: ${runDir} (events.jsonl ${mb(statSync(join(runDir, 'events.jsonl')).size)}, conversations.jsonl ${mb(statSync(join(runDir, 'conversations.jsonl')).size)})`);

  const { value: data, wallMs: aggregateMs } = await timed('stream + aggregate the jsonl files', () => loadRun(runDir));
  console.log(`  ${data.totals.conversations} conversations, ${data.totals.turnEvents} turns`);
  const { value: charts, wallMs: svgMs } = await timed('render every chart to SVG', () => renderCharts(data));
  const { wallMs: pngMs } = await timed(`rasterise the ${charts.length} charts to PNG`, () => charts.forEach((chart) => svgToPng(chart.svg)));
  const { value: page, wallMs: reportMs } = await timed('welfare-sim report end to end (read, charts, PNGs, page)', () => writeReport(runDir));
  const pageBytes = statSync(page).size;
  console.log(`report.html: ${mb(pageBytes)}`);

  // The budget is on the whole of `welfare-sim report`: reading the run, every chart (SVG and PNG) and the page.
  const ok = reportMs < CHART_BUDGET_MS && pageBytes < PAGE_BUDGET_BYTES;
  console.log(`budget: report ${reportMs.toFixed(0)} ms (< ${CHART_BUDGET_MS} ms), page ${mb(pageBytes)} (< ${mb(PAGE_BUDGET_BYTES)}): ${ok ? 'ok' : 'OVER BUDGET'}`);
  console.log(`  (first pass, cold: aggregate ${aggregateMs.toFixed(0)} + SVG ${svgMs.toFixed(0)} + PNG ${pngMs.toFixed(0)} ms)`);
  process.exitCode = ok ? 0 : 1;
} finally {
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
}
