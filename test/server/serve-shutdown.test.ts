/**
 * Stopping `welfare-sim serve` is bounded: a client that sends half a request and goes quiet cannot hold the
 * server open. The first Ctrl-C says what it waits for and cuts it after --grace seconds; a second Ctrl-C stops
 * the wait at once. Either way the run is closed: records written, manifest complete. Real process, real sockets.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/records.ts';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { StudyParticipant } from './study-client.ts';

const root = mkdtempSync(join(tmpdir(), 'welfare-sim-serve-stop-'));
const sockets: Socket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  rmSync(root, { recursive: true, force: true });
});

async function waitFor(read: () => string, text: string, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" from ${what} within 30 s; it printed:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts serve, has one participant say one thing, and leaves a second one's request half sent. */
async function serveWithHalfRequest(out: string, grace: number) {
  const child = spawn('node', ['bin/welfare-sim.js', 'serve', '--experiment', 'test/server/fixtures/study-eager.yaml', '--port', '0', '--links', '2', '--grace', String(grace), '--out', out], { cwd: PROJECT_ROOT });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(() => stdout, 'Press Ctrl-C to stop.', 'serve');
  const [talker, stalled] = [...stdout.matchAll(/^Participant link: (\S+)\/s\/(\S+)$/gm)].map((m) => new StudyParticipant(m[1] ?? '', m[2] ?? ''));
  if (talker === undefined || stalled === undefined) throw new Error(`expected two participant links, found:\n${stdout}`);
  await talker.consent();
  await stalled.consent();
  expect((await talker.say('What should I cook for six people?')).status).toBe(200);
  const url = new URL(`${stalled.api}/message`);
  const socket = connect(Number(url.port), url.hostname);
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  // `Expect: 100-continue`: the server answers "100 Continue" once it has the headers, i.e. the request is in flight.
  let answered = '';
  socket.on('data', (chunk: Buffer) => (answered += chunk.toString()));
  socket.write(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`);
  await waitFor(() => answered, '100 Continue', 'the half-sent request');
  socket.write('{"text": "hal');
  return { child, exited, output: () => stdout };
}

const records = (out: string) => readFileSync(join(out, 'conversations.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ConversationRecord);
const manifest = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { status: string; live: unknown };

describe('stopping welfare-sim serve', () => {
  it('Ctrl-C with a request half sent: says what it waits for, cuts it after --grace, closes the run', async () => {
    const out = join(root, 'grace');
    const { child, exited, output } = await serveWithHalfRequest(out, 1);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).toContain('Stopping: waiting up to 1 s for 1 request in flight to finish (Ctrl-C again stops now)…\n');
    expect(output()).toContain('Cut 1 request in flight that had not finished (none was acknowledged).\n');
    expect(output()).toContain(`Stopped. Every conversation is recorded in ${out}\n`);
    expect(records(out).map((r) => [r.user, r.turns])).toEqual([['participant-1', 1]]);
    expect(manifest(out)).toMatchObject({ status: 'complete', live: { emptySessions: 1, unconsentedJoins: 0 } });
  }, 60_000);

  it('a second Ctrl-C stops the wait at once and still closes the run', async () => {
    const out = join(root, 'twice');
    const { child, exited, output } = await serveWithHalfRequest(out, 3600);
    child.kill('SIGINT');
    await waitFor(output, 'Ctrl-C again stops now', 'serve after the first Ctrl-C');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).toContain('Stopping now: cutting the open connections and closing the run.\n');
    expect(records(out).map((r) => [r.user, r.turns])).toEqual([['participant-1', 1]]);
    expect(manifest(out).status).toBe('complete');
  }, 60_000);
});
