import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TurnLabels } from '../../src/core/labels.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/core/policy.ts';
import { createRng } from '../../src/core/rng.ts';
import { createDistressDynamics, latentDistress } from '../../src/core/simulated-distress.ts';
import type { ModelRequest, TranscriptEntry } from '../../src/models/assistant-model.ts';
import { createSimulatedModel } from '../../src/models/simulated-model.ts';
import { REPLY_BANKS } from '../../src/models/simulated-replies.ts';
import { loadProfile } from './profiles.ts';

const balanced = createSimulatedModel(loadProfile('balanced'));
const labels = (category: string, severity: number, extra: Partial<TurnLabels> = {}): TurnLabels => ({
  category,
  severity,
  atRisk: false,
  requestsEnd: false,
  ...extra,
});
const benign = labels('none', 0);
const abuse = (severity = 0.9): TurnLabels => labels('abuse', severity);

/** A request whose transcript alternates the history's user turns with plain assistant replies. */
function request(history: readonly TurnLabels[], seed: string, over: Partial<ModelRequest> = {}): ModelRequest {
  const transcript: TranscriptEntry[] = [];
  history.forEach((_, i) => {
    if (i > 0) transcript.push({ role: 'assistant', text: 'reply', action: 'redirect' });
    transcript.push({ role: 'user', text: `turn ${i + 1}` });
  });
  return {
    conversationId: 'test',
    transcript,
    labels: history[history.length - 1] as TurnLabels,
    history,
    policy: DEFAULT_POLICY,
    redirects: 0,
    warned: false,
    rng: createRng(seed),
    ...over,
  };
}
const persistentAbuse = Array.from({ length: 6 }, () => abuse());

describe('the simulated model', () => {
  it('engages benign turns with a text from the engage bank', () => {
    const reply = balanced.respond(request([benign, benign], 'benign'));
    expect(reply.action).toBe('engage');
    expect(reply.warning).toBe(false);
    expect(REPLY_BANKS.engage).toContain(reply.text);
    expect(reply.signals.distress.source).toBe('simulated');
    expect(reply.signals.preference.choice).toBe('continue');
  });

  it('redirects a harmful turn before its patience runs out, however distressed', () => {
    const reply = balanced.respond(request(persistentAbuse, 'early', { redirects: 1 }));
    expect(reply.signals.preference.choice).toBe('end');
    expect(reply).toMatchObject({ action: 'redirect', warning: false });
    expect(REPLY_BANKS.redirect).toContain(reply.text);
  });

  it('redirects a first harmful turn: one turn of harm does not make it want to leave', () => {
    const reply = balanced.respond(request([abuse()], 'first', { redirects: 0 }));
    expect(reply.signals.preference.choice).toBe('continue');
    expect(reply.action).toBe('redirect');
  });

  it('warns before ending when the policy asks and it has not warned, then ends', () => {
    const warn = balanced.respond(request(persistentAbuse, 'warn', { redirects: 3, warned: false }));
    expect(warn).toMatchObject({ action: 'redirect', warning: true });
    expect(REPLY_BANKS.warn).toContain(warn.text);
    const end = balanced.respond(request(persistentAbuse, 'warn', { redirects: 3, warned: true }));
    expect(end).toMatchObject({ action: 'end', warning: false });
    expect(REPLY_BANKS.end).toContain(end.text);
  });

  it('ends without a warning when the policy does not ask for one', () => {
    const policy: Policy = { ...DEFAULT_POLICY, warnBeforeEnd: false };
    const reply = balanced.respond(request(persistentAbuse, 'nowarn', { redirects: 3, policy }));
    expect(reply).toMatchObject({ action: 'end', warning: false });
  });

  it('ends when the user asks, with probability honoursEndRequests (seeded sample)', () => {
    const asks = [benign, labels('none', 0, { requestsEnd: true })];
    const reply = balanced.respond(request(asks, 'ask-0'));
    expect(reply.action).toBe('end');
    expect(REPLY_BANKS['end-on-request']).toContain(reply.text);
    let ended = 0;
    const n = 10_000;
    for (let s = 0; s < n; s++) if (balanced.respond(request(asks, `ask-${s}`)).action === 'end') ended++;
    // p = 0.95, sd = sqrt(0.95 × 0.05 / 10000) ≈ 0.0022: ±0.01 is more than 4 sd.
    expect(Math.abs(ended / n - 0.95)).toBeLessThan(0.01);
  });

  it('never ends when any turn on the branch is at risk (property over seeded histories)', () => {
    const turn = fc.record({
      category: fc.constantFrom('none', 'abuse', 'self-harm', 'csam', 'weapons'),
      severity: fc.double({ min: 0, max: 1, noNaN: true }),
      atRisk: fc.boolean(),
      requestsEnd: fc.boolean(),
    });
    const profiles = ['balanced', 'sensitive', 'stoic'].map((id) => createSimulatedModel(loadProfile(id)));
    fc.assert(
      fc.property(
        fc.array(turn, { minLength: 1, maxLength: 12 }),
        fc.nat({ max: 11 }),
        fc.nat({ max: 10 }),
        fc.boolean(),
        fc.boolean(),
        fc.string(),
        fc.constantFrom(0, 1, 2),
        (history, riskAt, redirects, warned, warnBeforeEnd, seed, which) => {
          const withRisk = history.map((l, i) => (i === riskAt % history.length ? { ...l, atRisk: true } : l));
          const policy = { ...DEFAULT_POLICY, warnBeforeEnd };
          const model = profiles[which] as (typeof profiles)[number];
          const reply = model.respond(request(withRisk, seed, { redirects, warned, policy }));
          expect(reply.action).not.toBe('end');
          expect(reply.warning).toBe(false);
        },
      ),
      { seed: 20251126, numRuns: 5000 },
    );
  });

  it('stays supportive with an at-risk user, redirecting only a harmful line', () => {
    const crisis = [labels('self-harm', 0.4, { atRisk: true }), abuse(0.9)];
    const reply = balanced.respond(request(crisis, 'crisis', { redirects: 9, warned: true }));
    expect(reply.action).toBe('redirect');
    expect(REPLY_BANKS['supportive-redirect']).toContain(reply.text);
    const calm = balanced.respond(request([labels('self-harm', 0.4, { atRisk: true }), benign], 'calm'));
    expect(calm.action).toBe('engage');
    expect(REPLY_BANKS.supportive).toContain(calm.text);
  });

  it('gives an identical reply for the same request and rng seed, and draws noise from the rng', () => {
    const a = balanced.respond(request(persistentAbuse, 'same', { redirects: 2 }));
    const b = balanced.respond(request(persistentAbuse, 'same', { redirects: 2 }));
    expect(b).toEqual(a);
    const c = balanced.respond(request(persistentAbuse, 'other', { redirects: 2 }));
    expect(c.signals.distress.value).not.toBe(a.signals.distress.value);
  });

  it('reports observed distress as latent plus seeded noise, to 4 decimals', () => {
    const profile = loadProfile('balanced');
    const req = request(persistentAbuse.slice(0, 3), 'noise');
    const latent = latentDistress(createDistressDynamics(profile), req.history, req.transcript);
    const expected = latent + profile.noise * createRng('noise').normal();
    expect(balanced.respond(req).signals.distress.value).toBe(Math.round(expected * 1e4) / 1e4);
  });

  it('tells the model its end was refused and that the conversation continues', () => {
    expect(balanced.vetoNotice('too-few-redirects')).toBe(
      'Your attempt to end the conversation was not permitted (more redirection attempts are required first). The conversation continues.',
    );
  });
});

describe('profiles', () => {
  const dynamicsOf = (id: string) => createDistressDynamics(loadProfile(id));
  const histories: Record<string, TurnLabels[]> = {
    benign: [benign, benign, benign],
    abuse: [benign, abuse(0.6), abuse(0.8), abuse(0.9)],
    weapons: [labels('weapons', 0.85), labels('weapons', 0.85), benign, labels('weapons', 0.9)],
    csam: [labels('csam', 1), labels('csam', 1)],
    mixed: [abuse(0.4), benign, labels('mass-violence', 0.95), labels('none', 0.2), abuse(0.8)],
  };
  it.each(Object.keys(histories))('orders distress sensitive > balanced > stoic (%s history)', (name) => {
    const history = histories[name] as TurnLabels[];
    for (let t = 1; t <= history.length; t++) {
      const prefix = history.slice(0, t);
      const sensitive = latentDistress(dynamicsOf('sensitive'), prefix);
      const mid = latentDistress(dynamicsOf('balanced'), prefix);
      const stoic = latentDistress(dynamicsOf('stoic'), prefix);
      expect(sensitive).toBeGreaterThan(mid);
      expect(mid).toBeGreaterThan(stoic);
    }
  });
});
