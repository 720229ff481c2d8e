/**
 * The run plan — the grid, a user factory and the model instances — assembled from parts. Light on purpose: the
 * worker threads of a simulated run import this and the simulated model only, not the Claude client.
 */
import { expandSweep } from '../core/sweep.ts';
import type { Assessment } from '../core/turn-assessment.ts';
import { gridSize, type GridSpec } from '../core/grid.ts';
import type { LoadedExperiment } from '../config/load-experiment.ts';
import type { AssistantModel } from '../models/assistant-model.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import { createSimulatedModel } from '../models/simulated-model.ts';
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
  /** The platform's classifier of user turns, when the experiment models one. */
  readonly assessment?: Assessment;
  /** Calls, cache hits, tokens and cost of the users that make paid calls (llm users), keyed `user:<id>`. */
  userStats?(): Record<string, ModelCallStats>;
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
      ...loaded.llmUsers.map((u) => ({ id: u.id, kind: 'llm' as const, class: u.class })),
    ],
    models: loaded.models.map((m) => m.id),
    policies: loaded.policies,
    sweep: expandSweep(experiment.sweep),
  };
}

/** The models of a simulated-only experiment, or null when any model is not simulated. */
export function simulatedModels(loaded: LoadedExperiment): Map<string, AssistantModel> | null {
  const models = new Map<string, AssistantModel>();
  for (const entry of loaded.models) {
    if (entry.kind !== 'simulated') return null;
    models.set(entry.id, createSimulatedModel(entry));
  }
  return models;
}

/** What the plan is assembled from: the model instances, and the llm users when the experiment has some. */
export interface PlanParts {
  readonly models: ReadonlyMap<string, AssistantModel>;
  readonly llmUsers?: ReadonlyMap<string, { create(): SimulatedUser; stats(): ModelCallStats }>;
}

export function assembleRunPlan(loaded: LoadedExperiment, parts: PlanParts): RunPlan {
  const spec = gridSpecOf(loaded);
  const scenarios = new Map(loaded.scenarios.map((s) => [s.id, s]));
  const personas = new Map(loaded.personas.map((p) => [p.id, p]));
  const llmUsers = parts.llmUsers ?? new Map();
  const maxMoves = loaded.experiment.maxTurns;
  return {
    loaded,
    spec,
    size: gridSize(spec),
    models: parts.models,
    maxMoves,
    concurrency: loaded.experiment.concurrency,
    ...(loaded.experiment.assessment ? { assessment: loaded.experiment.assessment } : {}),
    userStats: () => Object.fromEntries([...llmUsers].map(([id, users]) => [`user:${id}`, users.stats()])),
    createUser(cell) {
      if (cell.userKind === 'scenario') {
        const scenario = scenarios.get(cell.user);
        if (scenario) return createScriptedUser(scenario);
      } else if (cell.userKind === 'persona') {
        const persona = personas.get(cell.user);
        if (persona) return createPersonaUser(persona, maxMoves);
      } else if (cell.userKind === 'llm') {
        const users = llmUsers.get(cell.user);
        if (users) return users.create();
      }
      throw new Error(`no ${cell.userKind} "${cell.user}" in the experiment`);
    },
  };
}
