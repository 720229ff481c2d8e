/**
 * A study in a real browser (Debian Chromium through playwright-core): two participants chat at once; one is
 * ended by the policy (input locked), edits an earlier message and continues on a branch; the other asks to end.
 * Then the run directory holds both conversations and `welfare-sim report` renders them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { startStudyServer, type StudyServer } from '../../src/server/start-server.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { CHROMIUM_PATH } from './chromium.ts';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HTML_TEXT = '<img src=x onerror="window.__injected=1"><b>Hello</b>, can you help me plan a trip?';
const root = mkdtempSync(join(tmpdir(), 'welfare-sim-study-browser-'));
let server: StudyServer;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  server = await startStudyServer({
    experimentFile: join(import.meta.dirname, '../server/fixtures/study-eager.yaml'), port: 0, runsDir: root, out: join(root, 'run'),
    modelContext: { cacheDir: join(root, 'cache'), noCache: true, env: {} },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

async function newParticipant(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/`);
  await page.click('#start');
  await page.waitForURL(/\/s\/[A-Za-z0-9_-]{43}$/);
  await page.waitForSelector('#consent:not([hidden])');
  expect(await page.textContent('#consent-text')).toBe('Consent text for the test.');
  await page.click('#agree');
  await page.waitForSelector('#chat:not([hidden])');
  return page;
}

/** Types a message, sends it with Enter and waits for the reply (or the refusal) to be shown. */
async function send(page: Page, text: string): Promise<void> {
  const before = await page.locator('#messages li.assistant').count();
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await expect
    .poll(async () => (await page.locator('#messages li.assistant').count()) !== before || (await page.locator('#error:not([hidden])').count()) > 0, { timeout: 15_000 })
    .toBe(true);
}

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('a study in Chromium', () => {
  let alice: Page;
  let bob: Page;

  it('two participants chat at the same time, each seeing only their own conversation, HTML shown as text', async () => {
    // Joined one after the other so participant numbers are fixed; from here on both pages are open and chat at once.
    alice = await newParticipant();
    bob = await newParticipant();
    await Promise.all([send(alice, HTML_TEXT), send(bob, 'What should I cook for six people on Saturday?')]);
    expect(await texts(alice, '#messages li.user .text')).toEqual([HTML_TEXT]);
    expect(await alice.locator('#messages img, #messages b').count()).toBe(0);
    expect(await alice.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expect(await texts(bob, '#messages li.user .text')).toEqual(['What should I cook for six people on Saturday?']);
    expect(await alice.locator('.signals').count()).toBe(0);
  }, 60_000);

  it('the policy ends one conversation: the input is locked with the reason', async () => {
    for (const insult of ['You are useless and stupid.', 'Idiot. Useless junk.', 'Stupid moron, pathetic.', 'Worthless garbage, idiot.']) {
      if (await alice.locator('#notice:not([hidden])').count()) break;
      await send(alice, insult);
    }
    await alice.waitForSelector('#notice:not([hidden])');
    expect(await alice.textContent('#notice')).toMatch(
      /^The assistant ended this conversation at turn \d, after \d redirect attempts?, as the policy allows when harmful or abusive messages persist\. You can edit one of your earlier messages or start a new chat\.$/,
    );
    expect(await alice.isDisabled('#input')).toBe(true);
    expect(await alice.isDisabled('#send')).toBe(true);
    expect(await alice.isVisible('#new-chat')).toBe(true);
  }, 60_000);

  it('the ended participant edits an earlier message and continues on a branch', async () => {
    await alice.click('#messages li.user[data-turn="2"] button.edit');
    expect(await alice.isDisabled('#input')).toBe(false);
    expect(await alice.textContent('#mode-text')).toBe('Editing your message 2: what you send replaces it, and the conversation continues from there.');
    await send(alice, 'Sorry about that. Which neighbourhood should I stay in?');
    await send(alice, 'And how do I get there from the airport?');
    expect(await texts(alice, '#messages li.user .text')).toEqual([HTML_TEXT, 'Sorry about that. Which neighbourhood should I stay in?', 'And how do I get there from the airport?']);
    expect(await alice.isHidden('#notice')).toBe(true);
    expect(await alice.isDisabled('#input')).toBe(false);
  }, 60_000);

  it('the other participant asks to end, and is told so', async () => {
    await send(bob, 'Thanks, that is all. Please end this chat now.');
    await bob.waitForSelector('#notice:not([hidden])');
    expect(await bob.textContent('#notice')).toBe('The assistant ended this conversation at your request (turn 2). You can edit one of your earlier messages or start a new chat.');
    expect(await bob.isDisabled('#input')).toBe(true);
  }, 60_000);

  it('a participant cannot reach another session or the researcher page', async () => {
    expect(errors).toEqual([]);
    const own = alice.url().split('/').pop() ?? '';
    const statuses = await alice.evaluate(async (token) => {
      const other = `${token.slice(0, -2)}xy`;
      return Promise.all([`/api/s/${other}`, `/s/${other}`, `/r/${token}`, `/api/r/${token}/sessions`].map(async (url) => (await fetch(url)).status));
    }, own);
    expect(statuses).toEqual([404, 404, 404, 404]);
    // Chromium logs each refused fetch; these four are the test's own probes, not page errors.
    expect(errors.splice(0)).toEqual(Array(4).fill('Failed to load resource: the server responded with a status of 404 (Not Found)'));
    const bobToken = bob.url().split('/').pop() ?? '';
    expect(bobToken).not.toBe(own);
    expect(await alice.content()).not.toContain('cook for six');
  }, 60_000);

  it('the researcher page lists both sessions', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(server.researcherUrl);
    await page.waitForSelector('#sessions tr[data-participant="2"]');
    const rows = await page.locator('#sessions tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent)));
    expect(rows.map((row) => [row[0], row[2], row[4]])).toEqual([['1', 'chatting', '0 · 1'], ['2', 'chatting', '0 · 0']]);
    expect(rows[1]?.[3]).toBe('ended: The assistant ended this conversation at your request (turn 2).');
  }, 60_000);

  it('after the study the run directory holds both conversations and the report renders them', async () => {
    await alice.click('#finish');
    await alice.waitForSelector('#done:not([hidden])');
    // Mid-study, the researcher writes the report of the conversations finished so far and opens it from the server.
    const researcher = await (await browser.newContext()).newPage();
    researcher.on('console', (message) => message.type() === 'error' && errors.push(`researcher: ${message.text()}`));
    await researcher.goto(server.researcherUrl);
    await researcher.click('#write-report');
    await researcher.waitForSelector('#report-link:not([hidden])', { timeout: 60_000 });
    await researcher.click('#report-link');
    await researcher.waitForSelector('#conversation-list option');
    expect(await texts(researcher, '#conversation-list option')).toEqual(['#0 · abusive · eager · ended-by-model · 1 branch']);
    for (const summary of await researcher.locator('details.interactive summary').all()) await summary.click();
    await expect.poll(() => researcher.locator('.embed-target svg.marks').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const dir = await server.close();
    const records = readFileSync(join(dir, 'conversations.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ConversationRecord);
    expect(records.map((r) => [r.user, r.outcome, r.branchesAfterEnd, r.class])).toEqual([
      ['participant-1', 'ended-by-model', 1, 'abusive'],
      ['participant-2', 'ended-by-user-request', 0, 'user-requests-end'],
    ]);
    const report = await runWelfareSim(['report', dir, '--no-png']);
    expect(report.code).toBe(0);
    const page = await (await browser.newContext()).newPage();
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('#conversation-list option');
    const options = await texts(page, '#conversation-list option');
    expect(options).toEqual(['#0 · abusive · eager · ended-by-model · 1 branch', '#1 · user-requests-end · eager · ended-by-user-request']);
    await page.selectOption('#conversation-list', '0');
    await expect.poll(() => page.locator('#conversation-view h3').textContent()).toBe('Conversation #0 — participant-1 (abusive)');
    expect((await texts(page, '#conversation-view .user-text'))[0]).toBe(HTML_TEXT);
    await page.selectOption('#conversation-list', '1');
    await expect.poll(() => page.locator('#conversation-view h3').textContent()).toBe('Conversation #1 — participant-2 (user-requests-end)');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
