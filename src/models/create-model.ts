/**
 * Builds the assistant for a model entry. One instance per entry per run, shared by its conversations.
 * Called before the run directory exists, so a model that cannot start (e.g. a missing API key) is bad input
 * that leaves nothing behind.
 */
import type { ModelEntry } from '../core/model-profile.ts';
import type { AssistantModel } from './assistant-model.ts';
import type { MessageBatcher } from '../anthropic/batch-rounds.ts';
import { createAnthropicModel } from './anthropic/create-anthropic-model.ts';
import { createReplayModel } from './replay-model.ts';
import { createSimulatedModel } from './simulated-model.ts';


export interface ModelContext {
  /** Folder of the content-addressed cache of model calls. */
  readonly cacheDir: string;
  readonly noCache: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The experiment file, for messages that point at it. */
  readonly experimentFile: string;
  /** Batch mode (`run --batch`): Claude calls go out in Message Batches rounds through this batcher. */
  readonly batch?: MessageBatcher;
  /** Told after every paid call the API answered (the run's call tally). */
  readonly onCall?: () => void;
}

export function createAssistantModel(entry: ModelEntry, context: ModelContext): AssistantModel {
  switch (entry.kind) {
    case 'simulated':
      return createSimulatedModel(entry);
    case 'anthropic':
      return createAnthropicModel(entry, context);
    case 'replay':
      return createReplayModel(entry);
  }
}
