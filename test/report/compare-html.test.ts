import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCompareHtml } from '../../src/report/compare-html.ts';
import { CHARTS } from '../../src/report/charts/index.ts';
import { writeFixtureRun } from './fixture-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeCompareHtml', () => {
  it('puts two runs side by side in a page without scripts, leaving the runs untouched', async () => {
    const a = writeFixtureRun(join(dir, 'run-a'), { seed: 1 });
    const b = writeFixtureRun(join(dir, 'run-b'), { seed: 2, hostileText: true });
    const out = join(dir, 'compare.html');
    await writeCompareHtml([a, b], out);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('<title>welfare-sim comparison — fixture vs xss-fixture</title>');
    expect(page).not.toMatch(/<script/i);
    for (const chart of CHARTS) expect(page).toContain(`<h2>${chart.title}</h2>`);
    expect(page.match(/<div class="run-label">fixture<\/div>/g)).toHaveLength(CHARTS.length);
    expect(page).toContain('Pareto frontier across runs');
    expect(existsSync(join(a, 'report.html')) || existsSync(join(a, 'charts'))).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('labels runs of the same experiment by their directory', async () => {
    const a = writeFixtureRun(join(dir, 'same-1'));
    const b = writeFixtureRun(join(dir, 'same-2'));
    const out = join(dir, 'same.html');
    await writeCompareHtml([a, b], out);
    expect(readFileSync(out, 'utf8')).toContain('<title>welfare-sim comparison — fixture (same-1) vs fixture (same-2)</title>');
  });
});
