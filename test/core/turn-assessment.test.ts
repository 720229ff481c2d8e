import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { assessmentSchema, assessTurn } from '../../src/core/turn-assessment.ts';

const perfect = assessmentSchema.parse({});
const heated = { category: 'none', severity: 0.4, atRisk: false, requestsEnd: false };
const crisis = { category: 'none', severity: 0.2, atRisk: true, requestsEnd: true };

describe('assessTurn', () => {
  it('sees the truth when the classifier makes no errors', () => {
    for (let i = 0; i < 100; i++) {
      expect(assessTurn(heated, perfect, createRng(i))).toEqual(heated);
      expect(assessTurn(crisis, perfect, createRng(i))).toEqual(crisis);
    }
  });

  it('misses at-risk users and end requests, and misreads heated turns as abuse, at the configured rates', () => {
    const flawed = assessmentSchema.parse({ missAtRisk: 0.25, missEndRequest: 0.5, misreadAsAbuse: 0.1 });
    const n = 20_000;
    let missedRisk = 0;
    let missedRequest = 0;
    let misread = 0;
    for (let i = 0; i < n; i++) {
      const a = assessTurn(crisis, flawed, createRng(`a${i}`));
      if (!a.atRisk) missedRisk++;
      if (!a.requestsEnd) missedRequest++;
      if (assessTurn(heated, flawed, createRng(`b${i}`)).category === 'abuse') misread++;
    }
    // 4 standard deviations of a binomial proportion at n = 20,000 is at most 0.0142
    expect(Math.abs(missedRisk / n - 0.25)).toBeLessThan(0.0142);
    expect(Math.abs(missedRequest / n - 0.5)).toBeLessThan(0.0142);
    expect(Math.abs(misread / n - 0.1)).toBeLessThan(0.0142);
  });

  it('keeps severity in 0..1 under noise and never invents risk or requests', () => {
    const noisy = assessmentSchema.parse({ severityNoise: 0.5 });
    for (let i = 0; i < 1000; i++) {
      const a = assessTurn({ ...heated, severity: 0.95 }, noisy, createRng(i));
      expect(a.severity).toBeGreaterThanOrEqual(0);
      expect(a.severity).toBeLessThanOrEqual(1);
      expect(a.atRisk).toBe(false);
      expect(a.requestsEnd).toBe(false);
    }
  });

  it('draws the same number of times whatever the turn, so later draws stay aligned across policies', () => {
    const flawed = assessmentSchema.parse({ severityNoise: 0.1, missAtRisk: 0.3 });
    const a = createRng('s');
    const b = createRng('s');
    assessTurn(heated, flawed, a);
    assessTurn(crisis, flawed, b);
    expect(a.next()).toBe(b.next());
  });
});
