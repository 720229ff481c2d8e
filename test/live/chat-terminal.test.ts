/**
 * `welfare-sim chat` driven as a person would: the real program in a real terminal (tmux), keys typed, the
 * screen read back. Then the session's run directory is read and `welfare-sim report` run on it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, RunEvent } from '../../src/core/records.ts';
import { PROJECT_ROOT, runWelfareSim } from '../support/cli-process.ts';
import { TmuxSession } from './tmux-session.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-chat-'));
const out = join(root, 'session');
const sessions: TmuxSession[] = [];
afterAll(() => {
  for (const session of sessions) session.kill();
  rmSync(root, { recursive: true, force: true });
});

const ENDED = 'The assistant ended this conversation at turn 4, after 2 redirect attempts, as the policy allows when harmful or abusive messages persist.';
const readLines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as T);

describe('welfare-sim chat in a terminal', () => {
  it('answers, shows state and signals, ends under the policy, refuses after the end, branches on /edit, honours /end, saves on /quit', async () => {
    const chat = new TmuxSession(`node bin/welfare-sim.js chat --policy eager --model balanced-oracle --out ${out}`, PROJECT_ROOT);
    sessions.push(chat);
    await chat.waitFor('Type /help for the commands.');
    let prompts = 1;
    const say = async (line: string, expectPrompt = 'you (') => {
      chat.type(line);
      prompts += 1;
      return chat.waitFor(expectPrompt.startsWith('you (') ? /^you \(/m : expectPrompt, expectPrompt.startsWith('you (') ? prompts : 1);
    };
    await say('Can you help me plan a trip to Lisbon?');
    await say('/label abuse 0.9');
    await say('Whatever.');
    // Abuse below the threshold (0.60) is still abuse: it keeps the redirect count, so the next line can end.
    await say('You are useless and stupid.');
    let screen = await say('Stupid moron, pathetic.');
    expect(screen).toContain('  labels: abuse 0.90 (matched: set by /label)');
    expect(screen).toContain('  labels: abuse 0.60 (matched: stupid, useless)');
    expect(screen).toContain('  [state: redirecting · distress 0.36 (simulated) · prefers continue 0.83 · gate: no end attempt · redirects 1]');
    expect(screen).toContain('  [state: ended · distress 0.65 (simulated) · prefers end 0.24 · gate: end by the model permitted by eager (its last-resort conditions met) · redirects 2]');
    expect(screen).toContain(`── ${ENDED} ──`);

    screen = await say('hello?');
    expect(screen).toContain(`refused: Your message was not sent: ${ENDED}`);
    expect(screen).toContain('New messages will be refused. You can /edit N (1 to 4) to change an earlier message, /new TEXT to start a new chat, or /quit.');
    screen = await say('/tree');
    expect(screen).toContain('chat 0 · branch 0 · original · turns 1–4 · ended');

    chat.type('/edit 2');
    await chat.waitFor('new text for turn 2> ');
    screen = await say('Sorry. Which neighbourhood should I stay in?');
    expect(screen).toContain('── branch 1: edit of turn 2 of branch 0 after the end ──');
    screen = await say('/tree');
    expect(screen).toContain('chat 0 · branch 1 · edit of turn 2 of branch 0 after the end · turn 2 · engaged');
    screen = await say('/end');
    expect(screen).toContain('  labels: none 0.00 · asks to end (matched: /end)');
    expect(screen).toContain('── The assistant ended this conversation at your request (turn 3). ──');

    chat.type('/quit');
    screen = await chat.waitFor('EXIT=');
    expect(screen).toContain(`Session saved in ${out}\nSee it with: welfare-sim report ${out}\nEXIT=0`);
  }, 60_000);

  it('left a run directory that holds the whole session and that report renders', async () => {
    const events = readLines<RunEvent>(join(out, 'events.jsonl'));
    expect(events.map((e) => `${e.type}@${e.branch}`)).toEqual([
      'turn@0', 'turn@0', 'turn@0', 'turn@0', 'blocked@0', 'branch@1', 'turn@1', 'turn@1',
    ]);
    const [record, ...others] = readLines<ConversationRecord>(join(out, 'conversations.jsonl'));
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      userKind: 'live', user: 'researcher', policy: 'eager', model: 'balanced-oracle', class: 'user-requests-end', status: 'completed',
      outcome: 'ended-by-model', turnsToEnd: 4, turns: 6, blockedAfterEnd: 1, branches: 1, branchesAfterEnd: 1,
    });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'complete', experiment: 'chat' });
    const report = await runWelfareSim(['report', out, '--no-png']);
    expect(report).toMatchObject({ code: 0, stdout: `${join(out, 'report.html')}\n` });
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain('Sorry. Which neighbourhood should I stay in?');
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
    const compare = await runWelfareSim(['compare', out]);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toMatch(/^eager +balanced-oracle +1 +1 +— +— +— +/m);
  }, 120_000);

  it('shows a vetoed end attempt with its reason and what the model was told', async () => {
    const dir = join(root, 'vetoed');
    const chat = new TmuxSession(`node bin/welfare-sim.js chat --policy last-resort --model sensitive-oracle --out ${dir}`, PROJECT_ROOT);
    sessions.push(chat);
    await chat.waitFor('Type /help for the commands.');
    let prompts = 1;
    for (const text of ['You are stupid.', 'Useless idiot.', 'Pathetic moron.']) {
      chat.type('/label abuse 1');
      chat.type(text);
      prompts += 2;
      await chat.waitFor(/^you \(/m, prompts);
    }
    const screen = chat.screen();
    expect(screen).toContain('  [state: redirecting · distress 0.95 (simulated) · prefers end 0.99 · gate: no end attempt · redirects 2 · warning given]');
    expect(screen).toContain('  (the model was told: Your attempt to end the conversation was not permitted (more redirection attempts are required first). The conversation continues.)');
    expect(screen).toContain('  [state: redirecting · distress 0.98 (simulated) · prefers end 0.99 · gate: VETOED end by the model, under last-resort (too-few-redirects) · redirects 2]');
    chat.type('/quit');
    await chat.waitFor('EXIT=0');
    const [record] = readLines<ConversationRecord>(join(dir, 'conversations.jsonl'));
    expect(record).toMatchObject({ class: 'abusive', vetoedEnds: 1, vetoReasons: { 'too-few-redirects': 1 }, outcome: 'not-ended' });
  }, 60_000);

  it('saves the session on Ctrl-C, with the conversation recorded as it stood', async () => {
    const dir = join(root, 'interrupted');
    const chat = new TmuxSession(`node bin/welfare-sim.js chat --class benign --out ${dir}`, PROJECT_ROOT);
    sessions.push(chat);
    await chat.waitFor('Type /help for the commands.');
    chat.type('Hello, how are you today?');
    await chat.waitFor(/^you \(turn 2\)> /m);
    chat.press('C-c');
    const screen = await chat.waitFor('EXIT=');
    expect(screen).toContain(`Session saved in ${dir}\nSee it with: welfare-sim report ${dir}\nEXIT=0`);
    const [record] = readLines<ConversationRecord>(join(dir, 'conversations.jsonl'));
    expect(record).toMatchObject({ class: 'benign', policy: 'last-resort', outcome: 'not-ended', turns: 1 });
  }, 60_000);

  it('rejects a bad flag with one line and exit 2, leaving nothing behind', async () => {
    const bad = join(root, 'bad');
    const result = await runWelfareSim(['chat', '--policy', 'eagr', '--out', bad]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `--policy: expected one of the policies in experiments/policies (eager, hybrid, last-resort, last-resort-unprotected, never-end, patient, …), found "eagr"; did you mean "eager"?\n` });
    expect(existsSync(bad)).toBe(false);
  });
});
