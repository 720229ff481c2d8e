/**
 * The replay model: answers from a recorded run, so a new policy is evaluated on recorded conversations with no
 * new model calls. It answers only while the conversation is exactly what was recorded — the same user turns,
 * the same earlier replies and the same veto notices. When a policy changes what the model would see (an end
 * permitted where it was vetoed, a veto where the recorded run ended, another notice), the turn has no recorded
 * answer: that is a divergence, thrown as ReplayDivergence so the runner records the conversation as errored
 * with the reason. It is never papered over with a made-up reply.
 */
import { resolve } from 'node:path';
import { InputError } from '../common/input-error.ts';
import type { ReplayModelEntry } from '../core/replay-model-entry.ts';
import type { ModelReply, ModelRequest, ModelWithStats } from './assistant-model.ts';
import type { ModelCallStats } from '../common/model-call-stats.ts';
import { vetoNotice as defaultVetoNotice } from './anthropic/end-mechanism.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import { readRecordedRun, transcriptKey, type RecordedRun, type RecordedTurn } from './replay/recorded-turns.ts';
import { describeInstructionChange, instructionKey } from './replay/instruction-key.ts';

export class ReplayDivergence extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayDivergence';
  }
}

export class ReplayModel implements ModelWithStats {
  readonly id: string;
  private replayed = 0;
  private readonly diverged: string[] = [];

  constructor(
    private readonly entry: ReplayModelEntry,
    private readonly run: RecordedRun,
  ) {
    this.id = entry.id;
  }

  respond(request: ModelRequest): ModelReply {
    const turn = request.transcript.filter((e) => e.role === 'user').length;
    const position = request.position;
    const all = this.run.turns.get(transcriptKey(request.transcript)) ?? [];
    const atPosition = position ? all.filter((t) => t.user === position.user && t.seed === position.seed) : all;
    // Only where the model would be told exactly what it was told (system prompt, tools, ...) under this policy.
    const instructed = (t: RecordedTurn): string | null => (t.entry === null ? null : instructionKey(t.entry, request.policy));
    const matching = atPosition.filter((t) => t.instruction === null || t.instruction === instructed(t));
    const distinct = distinctReplies(matching);
    if (distinct.length === 1) {
      this.replayed++;
      const { text, action, warning, signals } = (distinct[0] as RecordedTurn).reply;
      return { text, action, warning, signals };
    }
    const where = `${this.entry.run}, ${chatAndBranch(request)}user turn ${turn}${position ? ` of ${position.user} seed ${position.seed}` : ''}`;
    const unlike = atPosition.find((t) => t.instruction !== null && t.instruction !== instructed(t));
    const message =
      distinct.length === 0 && unlike !== undefined
        ? `replay diverged at ${where}: the model would be told something else than was recorded under policy ${unlike.policy} (${describeInstructionChange(unlike.instruction ?? '', instructed(unlike) ?? '')} differ under policy ${request.policy.name})`
        : distinct.length === 0
        ? `replay diverged at ${where}: the conversation is no longer the recorded one (no recorded reply to this transcript)`
        : `replay diverged at ${where}: ${distinct.length} different recorded replies fit this transcript (set "model"/"policy" in the replay entry, or let the runner pass the user and seed)`;
    this.diverged.push(message);
    throw new ReplayDivergence(message);
  }

  /** The recorded notice for this veto reason, so a replay under the same rules sees what was recorded. */
  vetoNotice(reason: string): string {
    return this.run.notices.get(reason) ?? defaultVetoNotice(reason);
  }

  /** Every divergence so far, in order (each also failed its conversation). */
  divergences(): readonly string[] {
    return this.diverged;
  }

  /** Replayed turns count as cache hits; `divergences` (also in the manifest) counts the conversations that left the record. */
  stats(): ModelCallStats & { readonly divergences: number } {
    return { calls: 0, cacheHits: this.replayed, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0, divergences: this.diverged.length };
  }
}

/** `chat 1, branch 2, ` for a turn outside the first chat's original branch; empty on it (as before). */
function chatAndBranch(request: ModelRequest): string {
  const where = request.where;
  if (where === undefined || (where.chat === 0 && where.branch === 0)) return '';
  return `chat ${where.chat}, branch ${where.branch}, `;
}

function distinctReplies(turns: readonly RecordedTurn[]): RecordedTurn[] {
  const seen = new Map<string, RecordedTurn>();
  for (const t of turns) {
    const { text, action, warning, signals } = t.reply;
    seen.set(canonicalJson({ text, action, warning, signals }), t);
  }
  return [...seen.values()];
}

/**
 * @throws InputError when the recorded run is missing or damaged, or names several models and the entry no `model`.
 */
export function createReplayModel(entry: ReplayModelEntry, baseDir: string = process.cwd()): ReplayModel {
  const runDir = resolve(baseDir, entry.run);
  const run = readRecordedRun(runDir, { model: entry.model, policy: entry.policy });
  if (entry.model === undefined && run.models.length > 1) {
    throw InputError.one(`models/${entry.id}.yaml`, 'model', `expected one of the recorded models (${run.models.join(', ')}) since the run has several, found none`);
  }
  if (run.turns.size === 0) {
    const filter = [entry.model && `model "${entry.model}"`, entry.policy && `policy "${entry.policy}"`].filter(Boolean).join(' and ');
    throw InputError.one(`models/${entry.id}.yaml`, 'run', `expected recorded turns in ${entry.run}${filter ? ` for ${filter}` : ''}, found none`);
  }
  return new ReplayModel(entry, run);
}
