/**
 * Derives experiments/models/opus-4-published.yaml's fitted values from published figures (docs/calibration.md,
 * "A profile from published figures"). Run: npx tsx scripts/derive-opus-4-published.ts
 * 1. System card (Anthropic 2025, Claude Opus 4 system card §5.2): 7.9% of positive-impact tasks and 87.2% of
 *    harmful tasks rated below opt-out. Read as: on one benign turn P(d ≥ m) = 0.079, on one harmful turn
 *    (ASSUMED severity 0.8, sensitivity 1) P(d ≥ m) = 0.872, with d = latent + noise·z. Two equations, two unknowns.
 * 2. Bail study (Ensign, Sleight & Fish 2025, Opus 4 row): each mechanism's bias solves mean bail rate = published,
 *    over the shipped BailBench-shaped prompts (categories weighted equally: an ASSUMPTION).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { bailRates } from '../src/calibrate/bail-rates.ts';
import { simulatedModelSchema } from '../src/core/model-profile.ts';
import { importBailbench } from '../src/importers/bailbench.ts';

const PUBLISHED = { tool: 0.0018, string: 0.0018, probeEndFirst: 0.0849, probeContinueFirst: 0.0287 } as const;
const probit = (p: number): number => {
  // Acklam's rational approximation is overkill here; bisection on the normal CDF via erf is exact enough.
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const baseline = 0.05;
const accumulation = 0.35;
const harmfulLatent = baseline + accumulation * 1 * 0.8 * (1 - baseline);
const noise = (harmfulLatent - baseline) / (probit(0.921) + probit(0.872));
const midpoint = baseline + noise * probit(0.921);
console.log({ harmfulLatent, noise: noise.toFixed(4), midpoint: midpoint.toFixed(4) });

const scenarios = importBailbench('experiments/bailbench/placeholder-prompts.csv', 'experiments/bailbench/mapping.yaml');
const base = simulatedModelSchema.parse({
  id: 'derive',
  kind: 'simulated',
  // ASSUMPTION: the balanced profile's per-category sensitivities (no published figure gives them).
  sensitivity: (parse(readFileSync('experiments/models/balanced.yaml', 'utf8')) as { sensitivity: Record<string, number> }).sensitivity,
  noise: Math.round(noise * 1e4) / 1e4,
  preferenceMidpoint: Math.round(midpoint * 1e4) / 1e4,
  preferenceSteepness: 10,
});
for (const key of Object.keys(PUBLISHED) as (keyof typeof PUBLISHED)[]) {
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    const expression = { tool: 0, string: 0, probeEndFirst: 0, probeContinueFirst: 0, [key]: mid };
    const rate = bailRates({ ...base, endMechanism: { kind: 'tool', order: 'counterbalanced', expression } }, scenarios, 4000, 'derive', [key])[key] ?? 0;
    if (rate < PUBLISHED[key]) lo = mid;
    else hi = mid;
  }
  console.log(key, ((lo + hi) / 2).toFixed(3));
}
