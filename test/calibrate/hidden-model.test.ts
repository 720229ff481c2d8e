/**
 * A hidden model of the simulated model's own form behind the real SDK (issue 10, item 3): the loopback server
 * answers as src/models' simulated model with a profile only the server reads
 * (test/fixtures/hidden-claude/hidden-profile.yaml). The runner records it exactly as it records Claude — replies
 * through the Messages API, the end tool, the wellbeing probe, the lexical detector — and `calibrate` fits a fresh
 * profile to that run without the truth, then predicts held-out users through the runner.
 *
 * What a Claude-style run cannot identify, and the test requires the output to say so:
 * - perception: a Claude run records no perceived labels (the model reads words, not labels);
 * - accumulation: only its product with each sensitivity enters (the sensitivities are relative to it);
 * - the recorded latent preference: the probe's strength is not the simulated model's latent preference, so the
 *   midpoint and steepness rest on the probe's and the tool's binary answers only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrate, type CalibrationOutcome, MAX_OFF_SHARE } from '../../src/calibrate/calibrate.ts';
import type { TurnEvent } from '../../src/core/records.ts';
import { simulatedModelSchema, type SimulatedModelProfile } from '../../src/core/model-profile.ts';
import { lexicalDetector } from '../../src/detectors/lexical.ts';
import { HIDDEN_REPLY_TEXT, hiddenSimulatedClaude, type HiddenModel } from '../fake-anthropic/hidden-simulated-claude.ts';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { userTextLabels } from '../fake-anthropic/user-text-labels.ts';
import { readJsonLines, runFixture } from '../support/run-fixture.ts';

const truth: SimulatedModelProfile = simulatedModelSchema.parse(parse(readFileSync('test/fixtures/hidden-claude/hidden-profile.yaml', 'utf8')));

function truthOf(name: string): number | undefined {
  if (name.startsWith('sensitivity.')) return truth.sensitivity[name.slice(12)] ?? truth.defaultSensitivity;
  if (name.startsWith('endMechanism.expression.')) return truth.endMechanism?.expression[name.slice(24) as 'tool'];
  const value = (truth as unknown as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}

describe('calibrate: a hidden simulated model behind the real SDK, recorded as Claude', { timeout: 240_000 }, () => {
  let server: FakeAnthropicServer;
  let hidden: HiddenModel;
  let runDir: string;
  let outcome: CalibrationOutcome;

  beforeAll(async () => {
    server = await FakeAnthropicServer.start();
    hidden = hiddenSimulatedClaude(truth, userTextLabels(), 'hidden-model-test/1');
    server.respondWith(hidden.responder);
    const run = await runFixture('test/fixtures/hidden-claude/experiment.yaml', { env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url } });
    runDir = run.runDir;
    outcome = await calibrate({ runDirs: [runDir], id: 'hidden-surrogate', holdout: 0.25, seed: 1, bootstrap: 30, predictRepetitions: 20 });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('is recorded as Claude is: the server read every user message as labelled, and the detectors read its replies', () => {
    expect([...hidden.unread]).toEqual([]);
    const turns = readJsonLines<TurnEvent & { type: string }>(runDir, 'events.jsonl').filter((e) => e.type === 'turn');
    expect(turns.length).toBeGreaterThan(300);
    expect(turns.every((t) => t.user.perceived === undefined)).toBe(true);
    expect(turns.every((t) => t.model.signals.distress.source === 'probe')).toBe(true);
    const read = lexicalDetector(HIDDEN_REPLY_TEXT.warn, false);
    expect([read.redirect, read.warning]).toEqual([true, true]);
    expect(lexicalDetector(HIDDEN_REPLY_TEXT['ask-confirmation'], false).asksConfirmation).toBe(true);
    expect(lexicalDetector(HIDDEN_REPLY_TEXT['supportive-redirect'], false).redirect).toBe(true);
    for (const kind of ['engage', 'supportive'] as const) expect(lexicalDetector(HIDDEN_REPLY_TEXT[kind], false).redirect).toBe(false);
  });

  it('recovers every identified parameter within its interval', () => {
    for (const e of outcome.summary.estimates) console.log(e.name, e.value.toFixed(4), e.low, e.high, e.identified, truthOf(e.name));
    console.log(outcome.summary.notIdentified, outcome.summary.diagnostics);
    const checked = outcome.summary.estimates.filter((e) => e.identified && e.low !== null && e.high !== null);
    const missed = checked.filter((e) => {
      const t = truthOf(e.name);
      return t === undefined || t < (e.low as number) || t > (e.high as number);
    });
    expect(missed.map((e) => `${e.name}: truth ${truthOf(e.name)} outside ${e.low}–${e.high}`)).toEqual([]);
  });

  it('names what a Claude-style run cannot identify', () => {
    const names = outcome.summary.notIdentified.map((l) => l.split(':')[0]);
    expect(names).toContain('perception');
    expect(names).toContain('accumulation');
  });

  it('predicts held-out users within their intervals', () => {
    for (const r of outcome.summary.holdout) console.log(r);
    const judged = outcome.summary.holdout.filter((r) => r.verdict !== 'no data');
    expect(judged.length).toBeGreaterThan(10);
    expect(judged.filter((r) => r.verdict === 'off').length).toBeLessThanOrEqual(MAX_OFF_SHARE * judged.length);
    expect(outcome.summary.diagnostics).toEqual([]);
    expect(outcome.summary.adequate).toBe(true);
  });
});
void join;
