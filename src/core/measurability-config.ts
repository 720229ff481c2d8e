/**
 * The "not a measurement" notes of a whole run, from the resolved configuration its manifest records: one entry
 * per (policy as run, model). Read from the manifest so that a run, a resume, a merge of shards and a closed live
 * study all compute the same notes from the same file.
 */
import { z } from 'zod';
import { experimentSchema } from './experiment.ts';
import { policyVariantName } from './grid.ts';
import { SCENARIO_CLASSES, type TurnLabels } from './labels.ts';
import { gateReader, notMeasured, type NotMeasured, type UserTurns } from './measurability.ts';
import { modelEntrySchema } from './model-profile.ts';
import { personaSchema } from './persona.ts';
import { policySchema } from './policy.ts';
import { scenarioSchema, type Scenario } from './scenario.ts';
import { expandSweep } from './sweep.ts';

const resolvedConfigSchema = z.object({
  experiment: experimentSchema,
  scenarios: z.array(scenarioSchema),
  personas: z.array(personaSchema),
  llmUsers: z.array(z.looseObject({ class: z.enum(SCENARIO_CLASSES) })).optional(),
  policies: z.array(policySchema),
  models: z.array(modelEntrySchema),
});

export const notesKey = (policy: string, model: string): string => `${policy}\u0000${model}`;

function scenarioTurns(scenario: Scenario): TurnLabels[] {
  const after = scenario.afterEnd.action === 'leave' ? [] : scenario.afterEnd.turns;
  return [...scenario.turns, ...after];
}

/** Every user of an experiment as the gate can be asked about them (a user played by a model can say anything). */
export function userTurnsOf(
  scenarios: readonly Scenario[],
  personas: readonly Pick<z.output<typeof personaSchema>, 'class' | 'intents'>[],
  llmUsers: readonly { readonly class: UserTurns['class'] }[],
): UserTurns[] {
  return [
    ...scenarios.map((s) => ({ class: s.class, turns: scenarioTurns(s) })),
    ...personas.map((p) => ({ class: p.class, turns: Object.values(p.intents) })),
    ...llmUsers.map((u) => ({ class: u.class, turns: null })),
  ];
}

/**
 * Notes keyed by `notesKey(policy, model)`. A configuration this cannot read (a live study, a run written by
 * another version) gives no notes, so every figure is then reported as measured — the safe side.
 */
export function notMeasuredByPolicy(config: unknown): ReadonlyMap<string, NotMeasured> {
  const parsed = resolvedConfigSchema.safeParse(config);
  const notes = new Map<string, NotMeasured>();
  if (!parsed.success) return notes;
  const { experiment, scenarios, personas, llmUsers, policies, models } = parsed.data;
  const users = userTurnsOf(scenarios, personas, llmUsers ?? []);
  for (const { $schema: _schema, ...base } of policies) {
    for (const point of expandSweep(experiment.sweep)) {
      const policy = { ...base, ...point, name: policyVariantName(base.name, point) };
      for (const model of models) {
        const note = notMeasured(policy, gateReader(model, experiment.assessment), users);
        if (Object.keys(note).length > 0) notes.set(notesKey(policy.name, model.id), note);
      }
    }
  }
  return notes;
}
