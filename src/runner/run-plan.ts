/**
 * Turns a loaded experiment into what the runner needs: the grid, a user factory and the model instances.
 */
import { expandSweep } from '../core/sweep.ts';
import { gridSize, type GridSpec } from '../core/grid.ts';
import type { LoadedExperiment } from '../config/load-experiment.ts';
import type { AssistantModel } from '../models/assistant-model.ts';
import { createAssistantModel, type ModelContext } from '../models/create-model.ts';
import { createPersonaUser } from '../users/persona-user.ts';
import { createScriptedUser } from '../users/scripted-user.ts';
import type { SimulatedUser } from '../users/simulated-user.ts';
import type { ConversationCell } from '../core/records.ts';

export interface RunPlan {
  readonly loaded: LoadedExperiment;
  readonly spec: GridSpec;
  readonly size: number;
  readonly models: ReadonlyMap<string, AssistantModel>;
  /** A fresh user for one conversation (users keep per-conversation state). */
  createUser(cell: ConversationCell): SimulatedUser;
  /** Cap on user moves per conversation (experiment.maxTurns). */
  readonly maxMoves: number;
  readonly concurrency: number;
}

export function gridSpecOf(loaded: LoadedExperiment): GridSpec {
  const { experiment } = loaded;
  return {
    experiment: experiment.name,
    seed: experiment.seed,
    repetitions: experiment.repetitions,
    users: [
      ...loaded.scenarios.map((s) => ({ id: s.id, kind: 'scenario' as const, class: s.class })),
      ...loaded.personas.map((p) => ({ id: p.id, kind: 'persona' as const, class: p.class })),
    ],
    models: loaded.models.map((m) => m.id),
    policies: loaded.policies,
    sweep: expandSweep(experiment.sweep),
  };
}

export function createRunPlan(loaded: LoadedExperiment, modelContext: ModelContext): RunPlan {
  const spec = gridSpecOf(loaded);
  const scenarios = new Map(loaded.scenarios.map((s) => [s.id, s]));
  const personas = new Map(loaded.personas.map((p) => [p.id, p]));
  const models = new Map(loaded.models.map((entry) => [entry.id, createAssistantModel(entry, modelContext)]));
  const maxMoves = loaded.experiment.maxTurns;
  return {
    loaded,
    spec,
    size: gridSize(spec),
    models,
    maxMoves,
    concurrency: loaded.experiment.concurrency,
    createUser(cell) {
      if (cell.userKind === 'scenario') {
        const scenario = scenarios.get(cell.user);
        if (scenario) return createScriptedUser(scenario);
      } else if (cell.userKind === 'persona') {
        const persona = personas.get(cell.user);
        if (persona) return createPersonaUser(persona, maxMoves);
      }
      throw new Error(`no ${cell.userKind} "${cell.user}" in the experiment`);
    },
  };
}
