/**
 * Turns a loaded experiment into what the runner needs: the grid, a user factory and the model instances.
 */
import type { LoadedExperiment } from '../config/load-experiment.ts';
import type { ModelContext } from '../models/create-model.ts';
import { assembleRunPlan, simulatedModels, type RunPlan } from './assemble-plan.ts';

export { gridSpecOf, type RunPlan } from './assemble-plan.ts';

/**
 * Builds the plan: the model instances, and one factory per llm user (one gateway, so its concurrency limit and
 * counters span the run). Both check ANTHROPIC_API_KEY here, before anything is written.
 *
 * @throws InputError when a model or llm user needs the API key and it is unset, or a price is unknown.
 */
export async function createRunPlan(loaded: LoadedExperiment, modelContext: ModelContext): Promise<RunPlan> {
  const simulated = loaded.llmUsers.length === 0 ? simulatedModels(loaded) : null;
  // A simulated-only run never loads the Claude client (a third of the runner's memory).
  if (simulated) return assembleRunPlan(loaded, { models: simulated });
  const [{ createAssistantModel }, { createLlmUserFactory }] = await Promise.all([
    import('../models/create-model.ts'),
    import('../users/llm-user.ts'),
  ]);
  const models = new Map(loaded.models.map((entry) => [entry.id, createAssistantModel(entry, modelContext)]));
  const llmUsers = new Map(loaded.llmUsers.map((persona) => [persona.id, createLlmUserFactory(persona, modelContext)]));
  return assembleRunPlan(loaded, { models, llmUsers });
}
