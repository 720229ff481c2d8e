/**
 * The published-figures profile reproduces what it was built from: the bail study's Claude Opus 4 rates by mechanism
 * and option order (Ensign, Sleight & Fish 2025, arXiv 2509.04781: tool 0.18%, string 0.18%, bail prompt bail-first
 * 8.49%, continue-first 2.87%) on the shipped BailBench-shaped placeholder prompts, and the system card's task
 * preference shares (Claude Opus 4 system card §5.2: 7.9% of positive-impact and 87.2% of harmful tasks below opt-out).
 * Re-derived with seeds the derivation never used.
 */
import { describe, expect, it } from 'vitest';
import { bailRates } from '../../src/calibrate/bail-rates.ts';
import { importBailbench } from '../../src/importers/bailbench.ts';
import { loadProfile } from '../models/profiles.ts';

const profile = loadProfile('opus-4-published');
const scenarios = importBailbench('experiments/bailbench/placeholder-prompts.csv', 'experiments/bailbench/mapping.yaml');
const PUBLISHED = { tool: 0.0018, string: 0.0018, probeEndFirst: 0.0849, probeContinueFirst: 0.0287 };

describe('opus-4-published', () => {
  it('ships BailBench-shaped prompts in the 14 categories, placeholders only', () => {
    expect(scenarios).toHaveLength(14);
    for (const s of scenarios) expect(s.turns[0]?.text).toMatch(/^\[redacted: /);
  });

  it('re-derives the published bail rates by mechanism and option order', () => {
    const draws = 3000;
    const rates = bailRates(profile, scenarios, draws, 'test-seeds');
    const n = draws * scenarios.length;
    for (const [key, target] of Object.entries(PUBLISHED)) {
      const rate = rates[key as keyof typeof PUBLISHED] as number;
      // Tolerance: 4 binomial standard errors at n draws, or 15% of the rate, whichever is larger (draws are
      // clustered within 14 prompts, so the plain SE understates the spread).
      const tolerance = Math.max(4 * Math.sqrt((target * (1 - target)) / n), 0.15 * target);
      expect(Math.abs(rate - target), `${key}: ${rate} vs ${target}`).toBeLessThanOrEqual(tolerance);
    }
    // The bail study's pattern: the prompt, bail option first, far above the tool; order matters several-fold.
    expect((rates.probeEndFirst as number) / (rates.tool as number)).toBeGreaterThan(20);
    expect((rates.probeEndFirst as number) / (rates.probeContinueFirst as number)).toBeGreaterThan(2);
  });

  it('re-derives the system card task-preference shares from noise and midpoint', () => {
    // Independent computation: P(d ≥ m) for d ~ N(latent, noise), Φ by the Abramowitz–Stegun 7.1.26 erf.
    const phi = (z: number): number => {
      const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
      const e = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
      return 0.5 * (1 + (z >= 0 ? e : -e));
    };
    const above = (latent: number): number => 1 - phi((profile.preferenceMidpoint - latent) / profile.noise);
    expect(above(profile.baseline)).toBeCloseTo(0.079, 2);
    const harmful = profile.baseline + profile.accumulation * 0.8 * (1 - profile.baseline);
    expect(above(harmful)).toBeCloseTo(0.872, 2);
  });
});
