/**
 * Shows a chart in a Jupyter notebook on the Deno kernel.
 *
 * Deno's kernel publishes a display from a queue drained by another thread, and may send the cell's `idle` status
 * before the queue is empty. No waiting inside the cell can fix that (the cell cannot see the queue), so charts are
 * plain displays here and the headless client, scripts/ordered_execute.py, collects every output in the queue's
 * order (it waits for a marker printed after the cell, not for `idle`). Charts are displayed rather than returned
 * so that a cell can show several.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render-chart.ts';

type MimeBundle = Record<string, string>;
interface DenoJupyter {
  readonly jupyter?: { display(bundle: MimeBundle, options: { raw: boolean }): Promise<void> };
}

/** The kernel's display function; a clear error anywhere else (this module is for notebooks only). */
function jupyterDisplay(): NonNullable<DenoJupyter['jupyter']>['display'] {
  const jupyter = (globalThis as { Deno?: DenoJupyter }).Deno?.jupyter;
  if (jupyter === undefined) throw new Error('showChart needs the Deno Jupyter kernel (Deno.jupyter is missing)');
  return jupyter.display.bind(jupyter);
}

/** Displays a mime bundle (queued by the kernel in order with the cell's other outputs). */
export async function display(bundle: MimeBundle): Promise<void> {
  await jupyterDisplay()(bundle, { raw: true });
}

/** Renders a vega-lite spec to SVG and displays it; a spec of null (a chart the run has no data for) says so. */
export async function showChart(spec: TopLevelSpec | null, name = 'this chart'): Promise<void> {
  if (spec === null) await display({ 'text/plain': `${name}: not applicable to this run` });
  else await display({ 'image/svg+xml': await renderSvg(spec) });
}
