/** Writes every applicable chart of a run to `<runDir>/charts/` as `.vl.json`, `.svg` and `.png`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFile } from '../store/run-directory.ts';
import { buildCharts } from './charts/index.ts';
import { renderSvg, svgToPng } from './render-chart.ts';
import type { RunData } from './run-data.ts';
import type { TopLevelSpec } from 'vega-lite';

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
  readonly svg: string;
}

/** Builds and renders every applicable chart (SVG only; no files). */
export async function renderCharts(data: RunData): Promise<RenderedChart[]> {
  const rendered: RenderedChart[] = [];
  for (const chart of buildCharts(data)) rendered.push({ ...chart, svg: await renderSvg(chart.spec) });
  return rendered;
}

/** Renders the charts and writes them under `<runDir>/charts/`; returns them for the report. */
export async function writeCharts(runDir: string, data: RunData, options: { png?: boolean } = {}): Promise<RenderedChart[]> {
  const charts = await renderCharts(data);
  const dir = runFile(runDir, 'charts');
  await mkdir(dir, { recursive: true });
  for (const chart of charts) {
    await writeFile(join(dir, `${chart.name}.vl.json`), JSON.stringify(chart.spec, null, 2) + '\n');
    await writeFile(join(dir, `${chart.name}.svg`), chart.svg);
    if (options.png !== false) await writeFile(join(dir, `${chart.name}.png`), svgToPng(chart.svg));
  }
  return charts;
}
