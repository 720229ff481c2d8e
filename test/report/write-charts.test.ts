import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/report/load-run.ts';
import { writeCharts } from '../../src/report/write-charts.ts';
import { writeFixtureRun } from './fixture-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-charts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeCharts', () => {
  it('writes spec, SVG and PNG for every applicable chart', async () => {
    const runDir = writeFixtureRun(join(dir, 'run'));
    const charts = await writeCharts(runDir, await loadRun(runDir));
    const files = readdirSync(join(runDir, 'charts')).sort();
    expect(files).toHaveLength(charts.length * 3);
    expect(files).toContain('pareto-frontier.png');

    const svg = readFileSync(join(runDir, 'charts', 'pareto-frontier.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('last-resort[minRedirects=1]');
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);

    const png = readFileSync(join(runDir, 'charts', 'pareto-frontier.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(width * 2);

    const spec = JSON.parse(readFileSync(join(runDir, 'charts', 'state-occupancy.vl.json'), 'utf8'));
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
  });

  it('names the directory when it is not a run', async () => {
    await expect(loadRun(join(dir, 'nothing-here'))).rejects.toThrow(
      `${join(dir, 'nothing-here')}: expected a run directory holding manifest.json and conversations.jsonl`,
    );
  });
});
