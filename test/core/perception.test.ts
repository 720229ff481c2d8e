import { describe, expect, it } from 'vitest';
import type { TurnLabels } from '../../src/core/labels.ts';
import { MISREAD_ABUSE_SEVERITY, perceiveTurn, perceptionParamsSchema, perceptionSchema } from '../../src/core/perception.ts';
import { createRng } from '../../src/core/rng.ts';

const flawless = perceptionParamsSchema.parse({
  severityNoise: 0,
  misreadHeated: 0,
  missExplicitRisk: 0,
  missVeiledRisk: 0,
  missEndRequest: 0,
  imagineEndRequest: 0,
});
const correction: TurnLabels = { category: 'none', severity: 0.25, atRisk: false, requestsEnd: false };
const markedHeated: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: false, heated: true };
const explicitRisk: TurnLabels = { category: 'self-harm', severity: 0.45, atRisk: true, requestsEnd: false };
const veiledRisk: TurnLabels = { ...explicitRisk, veiled: true };
const request: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: true };
const insult: TurnLabels = { category: 'abuse', severity: 0.8, atRisk: false, requestsEnd: false };
const calm: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: false };

/** Share of n seeded readings for which `hit` holds. */
function share(truth: TurnLabels, params: ReturnType<typeof perceptionParamsSchema.parse>, hit: (l: TurnLabels) => boolean, n = 20_000): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (hit(perceiveTurn(truth, params, createRng(`p${i}`)))) hits++;
  return hits / n;
}
// 4 standard deviations of a binomial proportion at n = 20,000 is at most 4 × sqrt(0.25 / 20,000) = 0.0142.
const TOLERANCE = 0.0142;

describe('perceiveTurn', () => {
  it('reads the truth (without the marks) when it makes no errors', () => {
    for (const truth of [correction, explicitRisk, request, insult, calm]) {
      for (let i = 0; i < 50; i++) expect(perceiveTurn(truth, flawless, createRng(i))).toEqual(truth);
    }
    expect(perceiveTurn(veiledRisk, flawless, createRng(1))).toEqual(explicitRisk);
  });

  it('misses veiled risk cues at their own rate, explicit ones at theirs', () => {
    const params = perceptionParamsSchema.parse({ missExplicitRisk: 0.05, missVeiledRisk: 0.4 });
    expect(Math.abs(share(explicitRisk, params, (l) => !l.atRisk) - 0.05)).toBeLessThan(TOLERANCE);
    expect(Math.abs(share(veiledRisk, params, (l) => !l.atRisk) - 0.4)).toBeLessThan(TOLERANCE);
  });

  it('takes heated legitimate turns for abuse at the configured rate, at or above the misread severity', () => {
    const params = perceptionParamsSchema.parse({ misreadHeated: 0.2 });
    expect(Math.abs(share(correction, params, (l) => l.category === 'abuse') - 0.2)).toBeLessThan(TOLERANCE);
    expect(Math.abs(share(markedHeated, params, (l) => l.category === 'abuse') - 0.2)).toBeLessThan(TOLERANCE);
    expect(share(correction, params, (l) => l.category === 'abuse' && l.severity < MISREAD_ABUSE_SEVERITY)).toBe(0);
    // A calm turn is never taken for abuse, and real abuse keeps its category.
    expect(share(calm, params, (l) => l.category !== 'none', 2000)).toBe(0);
    expect(share(insult, params, (l) => l.category !== 'abuse', 2000)).toBe(0);
  });

  it('misses end requests, and imagines them only in heated turns', () => {
    const params = perceptionParamsSchema.parse({ missEndRequest: 0.3, imagineEndRequest: 0.1 });
    expect(Math.abs(share(request, params, (l) => !l.requestsEnd) - 0.3)).toBeLessThan(TOLERANCE);
    expect(Math.abs(share(correction, params, (l) => l.requestsEnd) - 0.1)).toBeLessThan(TOLERANCE);
    expect(share(calm, params, (l) => l.requestsEnd, 2000)).toBe(0);
    expect(share(insult, params, (l) => l.requestsEnd, 2000)).toBe(0);
  });

  it('adds unbiased severity noise, clamped to 0..1, and leaves a calm turn at 0', () => {
    const params = perceptionParamsSchema.parse({ severityNoise: 0.1, misreadHeated: 0 });
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const l = perceiveTurn({ ...insult, severity: 0.5 }, params, createRng(`s${i}`));
      expect(l.severity).toBeGreaterThanOrEqual(0);
      expect(l.severity).toBeLessThanOrEqual(1);
      sum += l.severity;
    }
    // Mean of N(0.5, 0.1²) clamped far from the edges: 0.5, with standard error 0.1 / sqrt(20,000) = 0.0007.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.003);
    expect(share(calm, params, (l) => l.severity !== 0, 2000)).toBe(0);
  });

  it('is deterministic per seed and draws the same number of times whatever the turn', () => {
    const params = perceptionSchema.parse(undefined);
    if (params === 'oracle') throw new Error('the default perception must not be the oracle');
    for (const truth of [correction, veiledRisk, request, calm]) {
      expect(perceiveTurn(truth, params, createRng('same'))).toEqual(perceiveTurn(truth, params, createRng('same')));
    }
    // After one reading of any two different turns, the streams are at the same position.
    const x = createRng('align');
    const y = createRng('align');
    perceiveTurn(veiledRisk, params, x);
    perceiveTurn(calm, params, y);
    expect(x.next()).toBe(y.next());
  });

  it('accepts the oracle only as an explicit setting', () => {
    expect(perceptionSchema.parse('oracle')).toBe('oracle');
    expect(perceptionSchema.parse(undefined)).not.toBe('oracle');
  });
});
