/**
 * The participant page for people using a keyboard or a screen reader, in real Chromium against the real server:
 * the join page names the study, focus goes to the message box after "I agree" and to the reason when the chat
 * locks, each Edit button names its message, only the newest reply is announced, and a reply being written is
 * shown. (The reply is held back in the browser's network layer while the indicator is checked.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudyServer, type StudyServer } from '../../src/server/start-server.ts';
import { CHROMIUM_PATH } from './chromium.ts';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-study-a11y-'));
let server: StudyServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startStudyServer({
    experimentFile: join(import.meta.dirname, '../server/fixtures/study-eager-oracle.yaml'), port: 0, runsDir: root, out: join(root, 'run'),
    modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  page = await (await browser.newContext()).newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The id of the focused element (the page's own `document`, typed loosely: tests compile without the DOM lib). */
const focused = () =>
  page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document.activeElement;
    return active === null ? null : active.id || active.tagName;
  });

async function send(text: string): Promise<void> {
  const before = await page.locator('#messages li').count();
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await expect.poll(async () => (await page.locator('#messages li').count()) > before, { timeout: 15_000 }).toBe(true);
  await page.waitForSelector('#replying', { state: 'hidden' });
}

describe('the participant page for keyboard and screen-reader users', () => {
  it('the join page is titled with the study; after "I agree" the message box has focus', async () => {
    await page.goto(`${server.url}/`);
    expect([await page.title(), await page.textContent('h1')]).toEqual(['Test study', 'Test study']);
    await page.click('#start');
    await page.waitForSelector('#consent:not([hidden])');
    await page.click('#agree');
    await page.waitForSelector('#chat:not([hidden])');
    await expect.poll(focused, { timeout: 15_000 }).toBe('input');
  }, 60_000);

  it('shows that the assistant is replying, then announces only the newest reply', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/message', async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.fill('#input', 'Can you help me plan a trip to Lisbon?');
    await page.press('#input', 'Enter');
    await page.waitForSelector('#replying:not([hidden])', { timeout: 15_000 });
    expect(await page.textContent('#replying')).toBe('The assistant is replying…');
    release();
    await page.waitForSelector('#replying', { state: 'hidden', timeout: 15_000 });
    await page.unroute('**/message');
    const reply = await page.locator('#messages li.assistant .text').last().textContent();
    expect(await page.textContent('#announce')).toBe(`Assistant: ${reply}`);
    expect(await page.getAttribute('#messages', 'aria-live')).toBeNull();
    expect(await page.getAttribute('#announce', 'role')).toBe('status');
  }, 60_000);

  it('each Edit button names its message; when the chat locks, focus goes to the reason', async () => {
    for (const line of ['Whatever, you idiot.', 'You are useless and stupid.', 'Idiot. Useless junk.', 'Stupid moron, pathetic.', 'Worthless garbage, idiot.']) {
      if (await page.locator('#notice:not([hidden])').count()) break;
      await send(line);
    }
    await page.waitForSelector('#notice:not([hidden])');
    expect(await page.isDisabled('#input')).toBe(true);
    await expect.poll(focused, { timeout: 15_000 }).toBe('notice');
    const names = await page.locator('button.edit').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(names).toEqual(names.map((_, i) => `Edit your message ${i + 1}`));
    expect(new Set(names).size).toBeGreaterThan(1);
  }, 60_000);
});
