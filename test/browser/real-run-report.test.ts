import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { openPage } from './chromium.ts';
import type { ObservedPage } from './chromium.ts';

const dir = mkdtempSync(join(tmpdir(), 'welfare-sim-real-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the quickstart run ends in a report a person can open', () => {
  let observed: ObservedPage;
  beforeAll(async () => {
    const runDir = join(dir, 'quickstart');
    expect(await runCli(['run', 'experiments/quickstart.yaml', '--out', runDir, '--json'])).toBe(0);
    observed = await openPage(pathToFileURL(join(runDir, 'report.html')).href);
  }, 90_000);
  afterAll(async () => observed?.close());

  it('loads offline and quietly, with metrics, charts and transcripts', async () => {
    const { page } = observed;
    await page.waitForSelector('#conversation-view table.turns');
    expect(observed.consoleErrors).toEqual([]);
    expect(observed.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(await page.locator('table.metrics caption').allTextContents()).toEqual([
      'Per policy, over all classes (metrics.json)',
      'Per policy, model and scenario class (metrics.json)',
    ]);
    expect(await page.locator('table.metrics').first().locator('tbody th').allTextContents()).toEqual(
      expect.arrayContaining(['last-resort', 'eager', 'user-request-only', 'never-end']),
    );
    expect(await page.locator('figure.chart .static svg').count()).toBe(6); // time-to-end included
    await page.selectOption('#filter-outcome', 'ended-by-model');
    await page.selectOption('#conversation-list', { index: 1 });
    await expect.poll(() => page.locator('#conversation-view td.permitted').count()).toBe(1);
    mkdirSync(resolve('test-artifacts'), { recursive: true });
    await page.screenshot({ path: resolve('test-artifacts/quickstart-report.png'), fullPage: true });
  });
});
