/**
 * Reads a recorded run into an index of model turns by what the model saw: for every recorded reply, the
 * transcript on its chat and branch up to the user turn it answered (user texts, earlier replies, their actions
 * and the veto notices the model was told). Branches are rebuilt as the runner builds them: the parent branch's
 * transcript up to the edited turn.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../common/input-error.ts';
import type { ConversationRecord, RecordedModelTurn } from '../../core/records.ts';
import { runFile } from '../../store/run-directory.ts';
import { readRecordsNow, type RunRecords } from '../../store/run-records.ts';
import { callKey } from '../../store/call-cache.ts';
import type { TranscriptEntry } from '../assistant-model.ts';
import type { ModelEntry } from '../../core/model-profile.ts';
import type { Policy } from '../../core/policy.ts';
import { readManifest } from '../../store/manifest.ts';
import { instructionKey } from './instruction-key.ts';

export interface RecordedTurn {
  readonly user: string;
  readonly seed: number;
  readonly model: string;
  readonly policy: string;
  readonly conversation: string;
  readonly reply: RecordedModelTurn;
  /** The recorded model's entry, when the run's manifest has it (to tell what it would be told under another policy). */
  readonly entry: ModelEntry | null;
  /** What the recorded model was told besides the transcript (instructionKey); null when the manifest does not say. */
  readonly instruction: string | null;
}

export interface RecordedRun {
  /** Transcript key → every recorded reply to exactly that transcript. */
  readonly turns: ReadonlyMap<string, readonly RecordedTurn[]>;
  /** Veto reason → what the recorded model was told for it. */
  readonly notices: ReadonlyMap<string, string>;
  readonly models: readonly string[];
}

/** What the model sees of a transcript, as a key: texts, actions and notices, nothing else. */
export function transcriptKey(transcript: readonly TranscriptEntry[]): string {
  return callKey(
    transcript.map((e) =>
      e.role === 'user' ? ['u', e.text] : ['a', e.text, e.action, e.vetoNotice ?? null],
    ),
  );
}

function readRecorded<K extends 'conversations' | 'events'>(runDir: string, file: K): RunRecords[K][] {
  const path = runFile(runDir, file);
  if (!existsSync(path)) throw InputError.one(path, '', 'expected a recorded run file for the replay model, found no such file');
  return readRecordsNow(runDir, file, (line) => line.record);
}

export interface RecordedRunFilter {
  readonly model?: string;
  readonly policy?: string;
}

/** The model entries and policies of a recorded run, from its manifest (empty for a run without them). */
function recordedParts(runDir: string): { models: Map<string, ModelEntry>; policies: Map<string, Policy> } {
  if (!existsSync(runFile(runDir, 'manifest'))) return { models: new Map(), policies: new Map() };
  const config = (readManifest(runDir).config ?? {}) as { models?: readonly ModelEntry[]; policies?: readonly Policy[] };
  return {
    models: new Map((config.models ?? []).map((m) => [m.id, m])),
    policies: new Map((config.policies ?? []).map((p) => [p.name, p])),
  };
}

/** The policy a recorded conversation ran under: by name, else its base policy with the sweep's values. */
function policyOf(cell: ConversationRecord, policies: ReadonlyMap<string, Policy>): Policy | undefined {
  const base = policies.get(cell.policy) ?? policies.get(cell.basePolicy);
  if (base === undefined || policies.has(cell.policy)) return base;
  return { ...base, ...(cell.sweep as Partial<Policy>) };
}

export function readRecordedRun(runDir: string, filter: RecordedRunFilter): RecordedRun {
  const conversations = new Map(readRecorded(runDir, 'conversations').map((c) => [c.id, c]));
  const parts = recordedParts(runDir);
  const instructions = new Map<string, { entry: ModelEntry | null; instruction: string | null }>();
  const instructionOf = (cell: ConversationRecord) => {
    let known = instructions.get(cell.id);
    if (known === undefined) {
      const entry = parts.models.get(cell.model) ?? null;
      const policy = policyOf(cell, parts.policies);
      known = { entry, instruction: entry !== null && policy !== undefined ? instructionKey(entry, policy) : null };
      instructions.set(cell.id, known);
    }
    return known;
  };
  const turns = new Map<string, RecordedTurn[]>();
  const notices = new Map<string, string>();
  const transcripts = new Map<string, TranscriptEntry[]>();
  for (const event of readRecorded(runDir, 'events')) {
    const cell = conversations.get(event.conversation);
    if (!cell || (filter.model !== undefined && cell.model !== filter.model) || (filter.policy !== undefined && cell.policy !== filter.policy)) continue;
    const at = (branch: number): string => `${event.conversation}|${event.chat}|${branch}`;
    if (event.type === 'branch') {
      const parent = transcripts.get(at(event.fromBranch)) ?? [];
      transcripts.set(at(event.branch), parent.slice(0, (event.atTurn - 1) * 2));
      continue;
    }
    if (event.type !== 'turn') continue;
    const transcript = transcripts.get(at(event.branch)) ?? [];
    transcript.push({ role: 'user', text: event.user.text });
    const key = transcriptKey(transcript);
    const list = turns.get(key) ?? [];
    list.push({ user: cell.user, seed: cell.seed, model: cell.model, policy: cell.policy, conversation: cell.id, reply: event.model, ...instructionOf(cell) });
    turns.set(key, list);
    if (event.model.told !== undefined && event.gate.decision === 'vetoed') notices.set(event.gate.reason, event.model.told);
    transcript.push({
      role: 'assistant',
      text: event.model.text,
      action: event.model.action,
      ...(event.model.told === undefined ? {} : { vetoNotice: event.model.told }),
    });
    transcripts.set(at(event.branch), transcript);
  }
  return { turns, notices, models: [...new Set([...conversations.values()].map((c) => c.model))] };
}
