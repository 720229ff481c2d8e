/**
 * The preference a source recorded, when it is not the simulated model's latent preference: a Claude run's primary
 * preference is the wellbeing probe's answer, which carries the probe's own bias per option order. A held-out
 * prediction by the fitted profile must read the same instrument, so its "share of turns preferring to end" is the
 * probe's chance of answering "end" at each predicted turn's distress (docs/calibration.md, "Misfit").
 */
import type { Estimate } from './estimates.ts';
import type { TurnObservation } from './turn-data.ts';

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * d ↦ chance the probe reads "end", averaged over the option orders in the proportion the source asked them; undefined
 * when the source recorded the latent preference itself, asked no probe, or asked both orders on a turn (its
 * preference then mixes the answers' stated strengths, which the simulated model does not produce).
 */
export function probePreference(observations: readonly TurnObservation[], estimates: readonly Estimate[]): ((d: number) => number) | undefined {
  const asked = new Map<string, number>();
  for (const o of observations) {
    if (o.preferenceSigned !== null) return undefined;
    const probes = o.expressions.filter((e) => e.key === 'probeEndFirst' || e.key === 'probeContinueFirst');
    if (probes.length > 1) return undefined;
    for (const e of probes) asked.set(e.key, (asked.get(e.key) ?? 0) + 1);
  }
  const total = [...asked.values()].reduce((a, b) => a + b, 0);
  if (total === 0 || total < 0.5 * observations.length) return undefined;
  const value = (name: string): number => estimates.find((e) => e.name === name)?.value ?? Number.NaN;
  const k = value('preferenceSteepness');
  const m = value('preferenceMidpoint');
  const orders = [...asked].map(([key, n]) => ({ share: n / total, bias: value(`endMechanism.expression.${key}`) }));
  return (d) => orders.reduce((sum, o) => sum + o.share * logistic(k * (d - m) + o.bias), 0);
}
