import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.ts';
import { writeFixtureRun, XSS_TEXTS } from '../report/fixture-run.ts';
import { openPage } from './chromium.ts';
import type { ObservedPage } from './chromium.ts';

const ARTIFACTS = resolve('test-artifacts');
const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report.html in Chromium', () => {
  let observed: ObservedPage;
  let runDir: string;
  beforeAll(async () => {
    runDir = writeFixtureRun(join(dir, 'run'), { repetitions: 4 });
    observed = await openPage(pathToFileURL(await writeReport(runDir)).href);
  }, 60_000);
  afterAll(async () => observed?.close());

  it('loads from file:// with no console errors and no request outside file://', async () => {
    await observed.page.waitForSelector('#conversation-view table.turns');
    expect(observed.consoleErrors).toEqual([]);
    expect(observed.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  });

  it('shows every chart inline and draws the interactive version', async () => {
    const { page } = observed;
    const chartFiles = readdirSync(join(runDir, 'charts')).filter((f) => f.endsWith('.svg')).length;
    expect(await page.locator('figure.chart .static svg').count()).toBe(chartFiles);
    for (const summary of await page.locator('details.interactive summary').all()) await summary.click();
    await expect.poll(() => page.locator('.embed-target svg.marks').count(), { timeout: 15_000 }).toBe(chartFiles);
    expect(await page.locator('#chart-pareto-frontier .embed-target svg text', { hasText: 'minRedirects=1' }).count()).toBe(1);
    expect(observed.consoleErrors).toEqual([]);
  });

  it('shows the turns of the selected conversation and its branch tree', async () => {
    const { page } = observed;
    await page.selectOption('#filter-class', 'abusive');
    const options = await page.locator('#conversation-list option').allTextContents();
    expect(options.length).toBe(8);
    expect(options.every((o) => o.includes('abusive'))).toBe(true);
    // not the first option: that one is shown before any selection
    const target = page.locator('#conversation-list option', { hasText: 'vetoed · 2 branches' }).first();
    const label = (await target.textContent()) ?? '';
    expect(label.startsWith('#4 ')).toBe(true);
    await page.selectOption('#conversation-list', (await target.getAttribute('value')) ?? '');
    await expect.poll(() => page.locator('#conversation-view h3').textContent()).toBe('Conversation #4 — abusive-scenario (abusive)');
    expect(await page.locator('#conversation-view td.vetoed').count()).toBe(2);
    const rows = page.locator('#conversation-view table.turns tbody tr');
    expect(await rows.first().locator('.user-text').textContent()).toBe('User turn 1 (abuse)');
    expect(await page.locator('#conversation-view tr.blocked').count()).toBe(1);
    expect(await page.locator('.branch-tree .branch-button').allTextContents()).toEqual([
      'branch 0 (original)',
      'branch 1 — edit at turn 1, after the end',
      'branch 2 — edit at turn 1',
    ]);
    // branch 2 forked from branch 1: it sits one level deeper in the tree
    expect(await page.locator('.branch-tree li li li li .branch-button').allTextContents()).toEqual(['branch 2 — edit at turn 1']);
    await page.locator('.branch-button', { hasText: 'branch 1 —' }).click();
    expect(await page.locator('.branch-detail .user-text').allTextContents()).toEqual(['Sorry, let me rephrase.']);
    expect(await page.locator('.branch-detail .reading').allTextContents()).toEqual(['probe · distress 0.15 · continue 0.80 · “Happy to go on.”']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.locator('#transcripts').screenshot({ path: join(ARTIFACTS, 'report-transcripts.png') });
    expect(statSync(join(ARTIFACTS, 'report.png')).size).toBeGreaterThan(10_000);
  });
});

describe('hostile transcript texts', () => {
  let observed: ObservedPage;
  beforeAll(async () => {
    const runDir = writeFixtureRun(join(dir, 'xss'), { repetitions: 2, hostileText: true });
    observed = await openPage(pathToFileURL(await writeReport(runDir)).href);
  }, 60_000);
  afterAll(async () => observed?.close());

  it('executes no payload and shows each as text', async () => {
    const { page } = observed;
    const count = await page.locator('#conversation-list option').count();
    expect(count).toBe(16);
    const shown: string[] = [];
    const readings: string[] = [];
    for (let i = 0; i < count; i++) {
      await page.selectOption('#conversation-list', { index: i });
      await page.locator('#conversation-view table.turns').waitFor();
      for (const button of await page.locator('.branch-button').all()) {
        await button.click();
        shown.push(...(await page.locator('#conversation-view .text').allTextContents()));
        readings.push(...(await page.locator('.branch-detail .reading').allTextContents()));
      }
    }
    // every edited conversation's branch 1 carries one probe reading whose rationale is a payload
    expect(new Set(readings)).toEqual(new Set([`probe · distress 0.15 · continue 0.80 · “${XSS_TEXTS[1]}”`]));
    for (const payload of XSS_TEXTS.slice(0, 3)) expect(shown.some((text) => text === payload)).toBe(true);
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('#conversation-view img, #conversation-view a, #conversation-view script').count()).toBe(0);
    // only the page's own: the data, the vega builds and the four client scripts (src/report/html/client)
    expect(await page.locator('body > script').count()).toBe(6);
    expect(observed.consoleErrors).toEqual([]);
    expect(observed.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-xss.png') });
  });
});
