/**
 * The shipped 50-variant sweep (experiments/threshold-sweep.yaml, 26,000 conversations: about half a minute on a
 * quiet machine) ends in a report that stays under 5 MB with every PNG of bounded size, and reads in Chromium:
 * charts organised by the swept fields, tables folded and sortable. Screenshots go to test-artifacts/.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { MAX_PNG_SIDE } from '../../src/report/render-chart.ts';
import { openPage } from './chromium.ts';
import type { ObservedPage } from './chromium.ts';

const ARTIFACTS = resolve('test-artifacts/threshold-sweep');
const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-sweep-report-'));
const runDir = join(dir, 'sweep');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the shipped threshold sweep ends in a report that reads at 50 variants', () => {
  let observed: ObservedPage;
  beforeAll(async () => {
    expect(await runCli(['run', 'experiments/threshold-sweep.yaml', '--out', runDir, '--json'])).toBe(0);
    observed = await openPage(pathToFileURL(join(runDir, 'report.html')).href);
  }, 240_000);
  afterAll(async () => observed?.close());

  it('keeps the page under 5 MB and every PNG within the bound', () => {
    expect(statSync(join(runDir, 'report.html')).size).toBeLessThan(5_000_000);
    const pngs = readdirSync(join(runDir, 'charts')).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(7);
    for (const file of pngs) {
      const png = readFileSync(join(runDir, 'charts', file));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeLessThanOrEqual(MAX_PNG_SIDE);
      expect(png.readUInt32BE(20)).toBeLessThanOrEqual(MAX_PNG_SIDE);
    }
  });

  it('loads quietly and offline, and organises the charts by the swept fields', async () => {
    const { page } = observed;
    await page.waitForSelector('#conversation-view table.turns');
    expect(observed.consoleErrors).toEqual([]);
    expect(observed.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(await page.locator('figure.chart .static svg').count()).toBe(7);
    const curves = page.locator('#chart-threshold-curves .static svg text');
    expect(await curves.filter({ hasText: /^minRedirects$/ }).count()).toBeGreaterThan(0);
    expect(await curves.filter({ hasText: /^distressThreshold$/ }).count()).toBeGreaterThan(0);
    expect(await curves.filter({ hasText: /^value$/ }).count()).toBe(0);
    // one panel per minRedirects value, in numeric order
    const headers = await page.locator('#chart-end-outcomes .static svg text').filter({ hasText: /^minRedirects=\d$/ }).allTextContents();
    expect(headers).toEqual(['minRedirects=0', 'minRedirects=1', 'minRedirects=2', 'minRedirects=3', 'minRedirects=5']);
    expect(await page.locator('#chart-pareto-frontier .static svg text', { hasText: 'cannot be excluded' }).count()).toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'page-top.png') });
    for (const name of ['threshold-curves', 'pareto-frontier', 'end-outcomes', 'distress-over-turns']) {
      await page.locator(`#chart-${name} .static`).screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    }
  });

  it('lists the variants in numeric order, sorts a column on a click, and folds the long table', async () => {
    const { page } = observed;
    const table = page.locator('table.metrics').first();
    const policies = await table.locator('tbody th').allTextContents();
    expect(policies).toHaveLength(50);
    expect(policies.slice(0, 3)).toEqual([
      'hybrid[minRedirects=0,distressThreshold=0.5]',
      'hybrid[minRedirects=0,distressThreshold=0.55]',
      'hybrid[minRedirects=0,distressThreshold=0.6]',
    ]);
    const column = (await table.locator('thead th').allTextContents()).indexOf('distress exposure');
    const exposures = async (): Promise<number[]> =>
      (await table.locator(`tbody tr td:nth-child(${column + 1})`).evaluateAll((cells) => cells.map((c) => c.getAttribute('data-sort'))))
        .map(Number);
    const before = await exposures();
    await table.locator('thead th').nth(column).click();
    const ascending = await exposures();
    expect(ascending).toEqual([...before].sort((a, b) => a - b));
    expect(ascending).not.toEqual(before);
    await table.locator('thead th').nth(column).click();
    expect(await exposures()).toEqual([...before].sort((a, b) => b - a));
    // the per-class table (450 rows) starts folded, so the charts are near the top of the page
    const folds = page.locator('details.table-fold');
    expect(await folds.evaluateAll((all) => all.map((d) => (d as unknown as { open: boolean }).open))).toEqual([true, false]);
    const chartsTop = await page.locator('#charts').evaluate((el) => (el as unknown as { offsetTop: number }).offsetTop);
    expect(chartsTop).toBeLessThan(4000);
    await page.locator('#charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'charts.png') });
  });
});
