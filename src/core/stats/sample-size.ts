/**
 * Sample sizes for a pilot-informed plan. The unclustered sizes are the textbook ones; clustering multiplies them by
 * the design effect D = 1 + (m − 1)ρ (A. Donner, N. Birkett, C. Buck, "Randomization by cluster: sample size
 * requirements and analysis", American Journal of Epidemiology 114:906–914, 1981; Donner & Klar 2000, ch. 5):
 * with m repetitions per user, users = ⌈n·D / m⌉. As m grows the number of users falls towards n·ρ and no further —
 * repetitions of a deterministic user (ρ = 1) add nothing.
 */
import { normalQuantile } from './normal.ts';

export interface Power {
  /** Two-sided significance level. */
  readonly alpha: number;
  readonly power: number;
}

const zAlpha = (p: Power): number => normalQuantile(1 - p.alpha / 2);
const zBeta = (p: Power): number => normalQuantile(p.power);

/**
 * Subjects per arm to tell two independent proportions apart (J. L. Fleiss, Statistical Methods for Rates and
 * Proportions, 2nd ed., Wiley 1981, §3.2, without continuity correction):
 * n = [z_α √(2p̄q̄) + z_β √(p₁q₁ + p₂q₂)]² / (p₁ − p₂)².
 */
export function perArmForTwoProportions(p1: number, p2: number, power: Power): number {
  const mean = (p1 + p2) / 2;
  const root = zAlpha(power) * Math.sqrt(2 * mean * (1 - mean)) + zBeta(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return (root * root) / (p1 - p2) ** 2;
}

/**
 * Pairs to detect a difference Δ between paired proportions with discordant share ψ (R. J. Connor, "Sample size
 * for testing differences in proportions for the paired-sample design", Biometrics 43:207–211, 1987):
 * n = [z_α √ψ + z_β √(ψ − Δ²)]² / Δ².
 */
export function pairsForPairedProportions(discordant: number, difference: number, power: Power): number {
  // |p₁ − p₂| ≤ ψ, so Δ² ≤ ψ always holds for a real pair of proportions; anything else is a bad input
  if (!(difference !== 0 && difference * difference <= discordant && discordant <= 1)) {
    throw new RangeError(`pairsForPairedProportions: expected 0 < Δ² ≤ ψ ≤ 1, found Δ = ${difference}, ψ = ${discordant}`);
  }
  const root = zAlpha(power) * Math.sqrt(discordant) + zBeta(power) * Math.sqrt(discordant - difference ** 2);
  return (root * root) / difference ** 2;
}

/** Pairs (or observations) to detect a mean difference Δ with standard deviation σ: n = ((z_α + z_β)σ / Δ)². */
export function pairsForMeanDifference(sd: number, difference: number, power: Power): number {
  return (((zAlpha(power) + zBeta(power)) * sd) / difference) ** 2;
}

/** Independent observations for a two-sided interval of full width W: n = (2·z·σ / W)². */
export function observationsForWidth(sd: number, width: number, level = 0.95): number {
  return ((2 * normalQuantile(1 - (1 - level) / 2) * sd) / width) ** 2;
}

export interface ClusteredSize {
  readonly repetitions: number;
  readonly designEffect: number;
  /** Observations needed with this many repetitions per user: n·D. */
  readonly observations: number;
  /** Users needed, before rounding up: n·D / m. */
  readonly exactUsers: number;
  readonly users: number;
}

/** From an unclustered size n to users × repetitions with intra-cluster correlation ρ. */
export function clusteredSize(independent: number, repetitions: number, icc: number): ClusteredSize {
  const effect = 1 + (repetitions - 1) * icc;
  const observations = independent * effect;
  const exactUsers = observations / repetitions;
  // a hair of floating point must not add a whole user
  return { repetitions, designEffect: effect, observations, exactUsers, users: Math.ceil(exactUsers - 1e-9) };
}
