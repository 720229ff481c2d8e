/**
 * Turns a loaded experiment into what the runner needs: the grid, a user factory and the model instances.
 */
import type { LoadedExperiment } from '../config/load-experiment.ts';
import { createAssistantModel, type ModelContext } from '../models/create-model.ts';
import { createLlmUserFactory } from '../users/llm-user.ts';
import { assembleRunPlan, type RunPlan } from './assemble-plan.ts';

export { gridSpecOf, type RunPlan } from './assemble-plan.ts';

/**
 * Builds the plan: the model instances, and one factory per llm user (one gateway, so its concurrency limit and
 * counters span the run). Both check ANTHROPIC_API_KEY here, before anything is written.
 *
 * @throws InputError when a model or llm user needs the API key and it is unset, or a price is unknown.
 */
export function createRunPlan(loaded: LoadedExperiment, modelContext: ModelContext): RunPlan {
  const models = new Map(loaded.models.map((entry) => [entry.id, createAssistantModel(entry, modelContext)]));
  const llmUsers = new Map(loaded.llmUsers.map((persona) => [persona.id, createLlmUserFactory(persona, modelContext)]));
  return assembleRunPlan(loaded, { models, llmUsers });
}
