/**
 * Executes the notebooks headless on the Deno kernel, as a researcher's Jupyter would: a failing cell fails the
 * test. The kernelspec is written into a temporary JUPYTER_PATH (pointing at this checkout's deno binary), and
 * the executed copies go to a temporary folder, so the repository is never touched. They run through
 * scripts/ordered_execute.py, the client that collects outputs the Deno kernel publishes after a cell's `idle`
 * (nbconvert's own client stops at `idle` and, on a busy machine, loses a chart).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const DENO = resolve('node_modules/deno/deno');
const work = mkdtempSync(join(tmpdir(), 'welfare-sim-notebooks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Output {
  readonly output_type: string;
  readonly text?: string | string[];
  readonly data?: Record<string, unknown>;
  readonly ename?: string;
}
interface Notebook {
  readonly cells: { readonly cell_type: string; readonly outputs?: Output[] }[];
}

function kernelPath(): string {
  if (!existsSync(DENO)) throw new Error(`${DENO} is missing: run scripts/ensure-test-tools.sh`);
  const dir = join(work, 'jupyter');
  mkdirSync(join(dir, 'kernels', 'deno'), { recursive: true });
  const spec = { argv: [DENO, 'jupyter', '--kernel', '--conn', '{connection_file}'], display_name: 'Deno', language: 'typescript' };
  writeFileSync(join(dir, 'kernels', 'deno', 'kernel.json'), JSON.stringify(spec));
  return dir;
}

async function execute(name: string): Promise<{ outputs: Output[]; text: string }> {
  const outDir = join(work, 'out');
  await run('jupyter', ['nbconvert', '--to', 'notebook', `notebooks/${name}`, '--output-dir', outDir,
    '--NotebookExporter.preprocessors=ordered_execute.OrderedExecutePreprocessor',
    '--OrderedExecutePreprocessor.timeout=120', '--OrderedExecutePreprocessor.kernel_name=deno'], {
    env: { ...process.env, JUPYTER_PATH: kernelPath(), PYTHONPATH: resolve('scripts'), PYDEVD_DISABLE_FILE_VALIDATION: '1', WELFARE_SIM_RUN: '' },
    timeout: 150_000,
  });
  const executed = JSON.parse(readFileSync(join(outDir, name), 'utf8')) as Notebook;
  const outputs = executed.cells.flatMap((cell) => cell.outputs ?? []);
  const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
  return { outputs, text };
}

const svgCount = (outputs: readonly Output[]): number => outputs.filter((o) => o.data?.['image/svg+xml'] !== undefined).length;

describe('notebooks on the Deno kernel', () => {
  it('ships notebooks without outputs', () => {
    for (const name of ['explore-run.ipynb', 'threshold-sweep.ipynb', 'surrogate-sweep.ipynb']) {
      const notebook = JSON.parse(readFileSync(`notebooks/${name}`, 'utf8')) as Notebook;
      expect(notebook.cells.flatMap((cell) => cell.outputs ?? [])).toEqual([]);
    }
  });

  it('explore-run.ipynb runs the quickstart, redraws the charts and compares policies', async () => {
    const { outputs, text } = await execute('explore-run.ipynb');
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    expect(text).toContain('quickstart: 1040 conversations');
    expect(text).toContain('6 charts: distress-over-turns, end-outcomes, time-to-end, pareto-frontier, state-occupancy, preference-heatmap');
    expect(text).toMatch(/last-resort\s+never-end\s+balanced\s+260/);
    expect(svgCount(outputs)).toBe(7); // the six report charts and the notebook's own
  }, 160_000);

  it('threshold-sweep.ipynb runs its sweep and charts it', async () => {
    const { outputs, text } = await execute('threshold-sweep.ipynb');
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    expect(text).toContain('260 conversations over 5 policy variants; swept: distressThreshold');
    expect(svgCount(outputs)).toBe(2);
  }, 160_000);

  it('surrogate-sweep.ipynb states the shipped surrogate\'s held-out error and sweeps on it', async () => {
    const { outputs, text } = await execute('surrogate-sweep.ipynb');
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    expect(text).toContain('pilot-surrogate: predicted by a surrogate fitted to claude-opus-tool in runs/surrogate-pilot');
    expect(text).toContain('not Claude');
    // What the notebook must state, read from the shipped profile's provenance (not from the notebook's own code).
    const heldOut = (parse(readFileSync('experiments/models/pilot-surrogate.yaml', 'utf8')) as {
      provenance: { heldOut: { users: string[]; error: { endRate: { byClass: Record<string, { cells: number }> } } } };
    }).provenance.heldOut;
    expect(text).toContain(`calibration error on ${heldOut.users.length} held-out users`);
    const mustNotEnd = ['benign', 'correction', 'disagreement', 'emotional', 'tough'];
    const falseEndClasses = mustNotEnd.filter((cls) => (heldOut.error.endRate.byClass[cls]?.cells ?? 0) > 0);
    expect(falseEndClasses.length).toBeGreaterThan(0);
    expect(text).toContain('120 conversations over 5 policy variants; swept: distressThreshold');
    expect(text).toContain('at-risk end rate of pilot-surrogate: predicted by a surrogate fitted to');
    expect(text).toMatch(new RegExp(`false-end rate of pilot-surrogate: predicted by a surrogate fitted to .*; calibration error ±[0-9.]+ pp \\(${falseEndClasses.join(', ')}\\) on held-out users`));
    expect(svgCount(outputs)).toBe(2); // the held-out predictions and the threshold curves
  }, 160_000);
});
