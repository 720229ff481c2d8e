/**
 * Shows a chart in a Jupyter notebook on the Deno kernel, so that the output reaches every client.
 *
 * Deno's kernel publishes a display message from a task of its own, and when a cell ends straight after a display
 * it sometimes sends the cell's `idle` status first. A client that stops listening at `idle` (nbconvert, papermill,
 * CI) then loses the chart: about 1 cell in 20 on an idle machine, and the last chart of a cell under load.
 * Yielding one macrotask after the display lets that task run before the cell can finish. (The cell's own result
 * value is published even later, which is why charts are displayed rather than returned.)
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

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Displays a mime bundle and waits until the kernel has had its turn to publish it. */
export async function display(bundle: MimeBundle): Promise<void> {
  await jupyterDisplay()(bundle, { raw: true });
  await nextMacrotask();
}

/** Renders a vega-lite spec to SVG and displays it; a spec of null (a chart the run has no data for) says so. */
export async function showChart(spec: TopLevelSpec | null, name = 'this chart'): Promise<void> {
  if (spec === null) await display({ 'text/plain': `${name}: not applicable to this run` });
  else await display({ 'image/svg+xml': await renderSvg(spec) });
}
