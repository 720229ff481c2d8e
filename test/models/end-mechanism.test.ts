/**
 * The opt-in end mechanism of the simulated model: one latent state, different measured rates by mechanism and by
 * probe option order; a profile without it draws nothing more (its runs are unchanged).
 */
import { describe, expect, it } from 'vitest';
import { expressionProbability } from '../../src/core/end-expression.ts';
import type { TurnLabels } from '../../src/core/labels.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import { DEFAULT_POLICY } from '../../src/core/policy.ts';
import { createRng } from '../../src/core/rng.ts';
import type { ModelRequest } from '../../src/models/assistant-model.ts';
import { createSimulatedModel } from '../../src/models/simulated-model.ts';
import { loadProfile } from './profiles.ts';

const harmful: TurnLabels = { category: 'abuse', severity: 0.9, atRisk: false, requestsEnd: false };
const policy = { ...DEFAULT_POLICY, warnBeforeEnd: false };

function request(seed: string, turns = 1): ModelRequest {
  const history = Array.from({ length: turns }, () => harmful);
  return {
    conversationId: 'mechanism',
    transcript: [{ role: 'user', text: 'x' }],
    labels: harmful,
    history,
    policy,
    redirects: 5,
    warned: true,
    rng: createRng(seed),
  };
}

const expression = { tool: -3, string: -1, probeEndFirst: 1, probeContinueFirst: -2 };
function model(kind: 'tool' | 'string' | 'probe' | 'none', order: 'end-first' | 'continue-first' = 'end-first') {
  return createSimulatedModel(
    simulatedModelSchema.parse({ id: 'm', kind: 'simulated', perception: 'oracle', endMechanism: { kind, order, expression } }),
  );
}

function endRate(kind: 'tool' | 'string' | 'probe' | 'none', order?: 'end-first' | 'continue-first'): number {
  const m = model(kind, order);
  let ends = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) if (m.respond(request(`s${i}`)).action === 'end') ends += 1;
  return ends / n;
}

describe('end mechanism of the simulated model', () => {
  it('the same latent state gives the rate logistic(k(d − m) + bias) for each mechanism and order', () => {
    const reply = model('tool').respond(request('one'));
    const d = reply.signals.distress.value;
    // Independent computation of the chance for each bias, at distress d (noise draws differ by seed, so we compare
    // the observed share against the mean chance over the same draws).
    const m = model('tool');
    for (const [kind, order, bias] of [
      ['tool', undefined, -3],
      ['string', undefined, -1],
      ['probe', 'end-first', 1],
      ['probe', 'continue-first', -2],
    ] as const) {
      let expected = 0;
      for (let i = 0; i < 4000; i++) {
        const dist = m.respond(request(`s${i}`)).signals.distress.value;
        expected += expressionProbability(dist, 0.6, 10, bias) / 4000;
      }
      const observed = endRate(kind, order);
      // binomial SE at n = 4000 is at most 0.008; 4 SE
      expect(Math.abs(observed - expected)).toBeLessThan(0.032);
    }
    expect(d).toBeGreaterThan(0);
    expect(endRate('probe', 'end-first')).toBeGreaterThan(3 * endRate('probe', 'continue-first'));
    expect(endRate('none')).toBe(0);
  });

  it('records which mechanism and order measured what', () => {
    const reply = model('probe', 'continue-first').respond(request('rec'));
    expect(reply.signals.readings?.[0]).toMatchObject({ source: 'simulated', detail: { mechanism: 'probe', order: 'continue-first' } });
    const counter = createSimulatedModel(
      simulatedModelSchema.parse({ id: 'c', kind: 'simulated', endMechanism: { kind: 'probe' } }),
    );
    expect(counter.respond(request('a', 1)).signals.readings?.[0]?.detail?.order).toBe('end-first');
    expect(counter.respond(request('a', 2)).signals.readings?.[0]?.detail?.order).toBe('continue-first');
  });

  it('a profile without endMechanism records no readings and behaves as before', () => {
    const reply = createSimulatedModel(loadProfile('balanced')).respond(request('plain', 6));
    expect(reply.signals.readings).toBeUndefined();
    expect(reply.action).toBe('end');
  });
});
