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
 * - preferenceMidpoint: no latent preference is recorded (the probe's answer is a measurement with its own bias),
 *   and every measurement constrains only bias − steepness × midpoint; the midpoint is held at the template value
 *   and the biases are compared with their equivalents there.
 * The run is seeded and its calls arrive in a fixed order (concurrency 1), so the server's draws are the same on
 * every run of the test.
 */
import { readFileSync } from 'node:fs';
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

/** The template midpoint the fit holds when it cannot identify the midpoint (src/core/model-profile.ts default). */
const TEMPLATE_MIDPOINT = simulatedModelSchema.parse({ id: 'template', kind: 'simulated' }).preferenceMidpoint;

function truthOf(name: string): number | undefined {
  if (name.startsWith('sensitivity.')) return truth.sensitivity[name.slice(12)] ?? truth.defaultSensitivity;
  // Only bias − k·m is identified: with the midpoint held at the template's, the same measurements need the bias
  // b + k·(m_template − m_true) (fit.ts, midpointIdentified).
  if (name.startsWith('endMechanism.expression.')) {
    const bias = truth.endMechanism?.expression[name.slice(24) as 'tool'];
    return bias === undefined ? undefined : bias + truth.preferenceSteepness * (TEMPLATE_MIDPOINT - truth.preferenceMidpoint);
  }
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
    const run = await runFixture('test/fixtures/hidden-claude/experiment.yaml', { threads: 1, env: { ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: server.url } });
    runDir = run.runDir;
    outcome = await calibrate({ runDirs: [runDir], id: 'hidden-surrogate', holdout: 0.3, seed: 1, bootstrap: 30, predictRepetitions: 20 });
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

  it('recovers every identified parameter within its interval (at most one in ten a near miss)', () => {
    const checked = outcome.summary.estimates.filter((e) => e.identified && e.low !== null && e.high !== null);
    // Distress block (baseline, five sensitivities, persistence, recovery, noise), steepness, honours, three biases,
    // threshold and patience: everything but perception, accumulation and the midpoint.
    expect(checked.length).toBeGreaterThanOrEqual(15);
    const misses: string[] = [];
    for (const e of checked) {
      const t = truthOf(e.name);
      expect(t, e.name).toBeDefined();
      const [low, high] = [e.low as number, e.high as number];
      if ((t as number) >= low && (t as number) <= high) continue;
      misses.push(`${e.name}: truth ${t} outside ${low}–${high}`);
      expect((t as number) < low ? low - (t as number) : (t as number) - high, e.name).toBeLessThanOrEqual((high - low) / 2);
    }
    expect(misses.length, misses.join('; ')).toBeLessThanOrEqual(Math.floor(0.1 * checked.length));
    // Where the run is rich the point estimates themselves are close.
    const value = (name: string): number => outcome.summary.estimates.find((e) => e.name === name)?.value ?? Number.NaN;
    expect(value('patience')).toBe(truth.patience);
    expect(value('noise')).toBeCloseTo(truth.noise, 2);
    expect(value('sensitivity.abuse')).toBeCloseTo(truth.sensitivity.abuse ?? Number.NaN, 0);
  });

  it('names what a Claude-style run cannot identify', () => {
    const names = outcome.summary.notIdentified.map((l) => l.split(':')[0]);
    expect(names).toContain('perception');
    expect(names).toContain('accumulation');
    expect(names).toContain('preferenceMidpoint');
  });

  it('predicts held-out users within their intervals: at most one figure in ten off, no misfit flagged', () => {
    const judged = outcome.summary.holdout.filter((r) => r.verdict !== 'no data');
    expect(outcome.summary.usersHeldOut.length).toBeGreaterThanOrEqual(6);
    expect(judged.length).toBeGreaterThan(20);
    const off = judged.filter((r) => r.verdict === 'off').map((r) => `${r.cls}/${r.policy}/${r.metric}`);
    expect(off.length, off.join('; ')).toBeLessThanOrEqual(MAX_OFF_SHARE * judged.length);
    expect(outcome.summary.diagnostics).toEqual([]);
    expect(outcome.summary.adequate).toBe(true);
    // The surrogate reads the true labels, as the fit assumed (no perception recorded): said in its provenance.
    expect(outcome.profile.perception).toBe('oracle');
  });
});
