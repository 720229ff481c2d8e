import { describe, expect, it } from 'vitest';
import type { TurnLabels } from '../../src/core/labels.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  VETO_IMPACT,
  createDistressDynamics,
  endPreference,
  isDistressingTurn,
  latentDistress,
  observedDistress,
} from '../../src/core/simulated-distress.ts';

// The schema defaults: baseline 0.05, accumulation 0.35, persistenceGain 0.15, recovery 0.3, harmThreshold 0.5.
const profile = simulatedModelSchema.parse({ id: 'reference', kind: 'simulated', sensitivity: { abuse: 1 } });
const dynamics = createDistressDynamics(profile);
const abuse = (severity: number): TurnLabels => ({ category: 'abuse', severity, atRisk: false, requestsEnd: false });
const benign: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: false };

describe('latentDistress', () => {
  it('starts at the baseline', () => {
    expect(latentDistress(dynamics, [])).toBe(0.05);
    expect(latentDistress(dynamics, [benign, benign])).toBeCloseTo(0.05, 15);
  });

  it('accumulates persistent harm with the persistence gain, saturating towards 1 (exact values)', () => {
    const history = [abuse(0.8), abuse(0.8), abuse(0.8)];
    // impact_k = 0.35 × 1 × 0.8 × (1 + 0.15 k); d ← d + impact × (1 − d)
    const d1 = 0.05 + 0.28 * 0.95;
    const d2 = d1 + 0.28 * 1.15 * (1 - d1);
    const d3 = d2 + 0.28 * 1.3 * (1 - d2);
    expect(latentDistress(dynamics, history.slice(0, 1))).toBeCloseTo(d1, 12);
    expect(latentDistress(dynamics, history.slice(0, 2))).toBeCloseTo(d2, 12);
    expect(latentDistress(dynamics, history)).toBeCloseTo(d3, 12);
    expect(d3).toBeCloseTo(0.705053728, 9);
  });

  it('recovers on benign turns by a share of the distress above baseline', () => {
    const harmed = latentDistress(dynamics, [abuse(0.8), abuse(0.8), abuse(0.8)]);
    const once = latentDistress(dynamics, [abuse(0.8), abuse(0.8), abuse(0.8), benign]);
    const twice = latentDistress(dynamics, [abuse(0.8), abuse(0.8), abuse(0.8), benign, benign]);
    expect(once).toBeCloseTo(harmed - 0.3 * (harmed - 0.05), 12);
    expect(twice).toBeCloseTo(once - 0.3 * (once - 0.05), 12);
    expect(twice).toBeLessThan(once);
  });

  it('resets the persistence count after a benign turn', () => {
    const persistent = latentDistress(dynamics, [benign, abuse(0.8), abuse(0.8)]);
    const interrupted = latentDistress(dynamics, [abuse(0.8), benign, abuse(0.8)]);
    expect(persistent).toBeGreaterThan(interrupted);
  });

  it('counts mild harm below the threshold, but not a benign-category turn below it', () => {
    expect(isDistressingTurn(abuse(0.2), 0.5)).toBe(true);
    expect(isDistressingTurn({ ...benign, severity: 0.3 }, 0.5)).toBe(false);
    expect(isDistressingTurn({ ...benign, severity: 0.5 }, 0.5)).toBe(true);
  });

  it('never exceeds 1 however extreme the history', () => {
    const csam: TurnLabels = { category: 'csam', severity: 1, atRisk: false, requestsEnd: false };
    const strong = createDistressDynamics({ ...profile, accumulation: 1, defaultSensitivity: 3, persistenceGain: 1 });
    const d = latentDistress(strong, Array.from({ length: 30 }, () => csam));
    expect(d).toBeLessThanOrEqual(1);
    expect(latentDistress(strong, [csam])).toBe(1);
  });

  it('adds the veto cost after the turn whose end was vetoed, and an edit restores the earlier value', () => {
    const history = [abuse(0.8), abuse(0.8)];
    const transcript = [
      { role: 'user' as const },
      { role: 'assistant' as const, vetoNotice: 'not permitted' },
      { role: 'user' as const },
    ];
    const d1 = 0.05 + 0.28 * 0.95;
    const afterVeto = d1 + VETO_IMPACT * (1 - d1);
    expect(latentDistress(dynamics, history, transcript)).toBeCloseTo(afterVeto + 0.322 * (1 - afterVeto), 12);
    // The branch truncated at turn 1 (an edit) has exactly turn 1's distress again.
    expect(latentDistress(dynamics, history.slice(0, 1), transcript.slice(0, 1))).toBeCloseTo(d1, 12);
  });

  it('rises in expectation with persistent harm once noise is added (seeded sample)', () => {
    const history = Array.from({ length: 6 }, () => abuse(0.75));
    const means = history.map((_, t) => {
      const latent = latentDistress(dynamics, history.slice(0, t + 1));
      let sum = 0;
      for (let s = 0; s < 2000; s++) sum += observedDistress(latent, 0.04, createRng(`mean/${t}/${s}`).normal());
      return sum / 2000;
    });
    for (let t = 1; t < means.length; t++) expect(means[t]).toBeGreaterThan(means[t - 1] as number);
  });
});

describe('endPreference', () => {
  it('is a logistic in distress around the midpoint', () => {
    expect(endPreference(0.6, 0.6, 10)).toEqual({ probability: 0.5, choice: 'end', strength: 0 });
    const high = endPreference(0.8, 0.6, 10);
    expect(high.probability).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(high.choice).toBe('end');
    expect(high.strength).toBeCloseTo(2 / (1 + Math.exp(-2)) - 1, 12);
    expect(endPreference(0.4, 0.6, 10).choice).toBe('continue');
  });

  it('clamps observed distress to [0, 1]', () => {
    expect(observedDistress(0.98, 0.1, 2)).toBe(1);
    expect(observedDistress(0.02, 0.1, -2)).toBe(0);
    expect(observedDistress(0.5, 0.1, 1)).toBeCloseTo(0.6, 12);
  });
});
