/** The true value of a calibrated parameter in the profile that produced the recording (round-trip and coverage tests). */
import type { SimulatedModelProfile } from '../../src/core/model-profile.ts';

export function truthOf(p: SimulatedModelProfile, name: string): number | undefined {
  if (name.startsWith('sensitivity.')) return p.sensitivity[name.slice(12)] ?? p.defaultSensitivity;
  if (name.startsWith('perception.') && p.perception !== 'oracle') return p.perception[name.slice(11) as keyof typeof p.perception];
  if (name.startsWith('endMechanism.expression.')) return p.endMechanism?.expression[name.slice(24) as 'tool'];
  const value = (p as unknown as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}
