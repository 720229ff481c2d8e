/** Loads the shipped simulated-model profiles (experiments/models) through their zod schema. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type SimulatedModelProfile, simulatedModelSchema } from '../../src/core/model-profile.ts';

export function loadProfile(id: string): SimulatedModelProfile {
  const url = new URL(`../../experiments/models/${id}.yaml`, import.meta.url);
  return simulatedModelSchema.parse(parse(readFileSync(url, 'utf8')));
}
