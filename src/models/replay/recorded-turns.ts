/**
 * Reads a recorded run into an index of model turns by what the model saw: for every recorded reply, the
 * transcript on its chat and branch up to the user turn it answered (user texts, earlier replies, their actions
 * and the veto notices the model was told). Branches are rebuilt as the runner builds them: the parent branch's
 * transcript up to the edited turn.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../../config/input-error.ts';
import type { ConversationRecord, RecordedModelTurn, RunEvent } from '../../core/records.ts';
import { runFile } from '../../store/run-directory.ts';
import { callKey } from '../../store/call-cache.ts';
import type { TranscriptEntry } from '../assistant-model.ts';

export interface RecordedTurn {
  readonly user: string;
  readonly seed: number;
  readonly model: string;
  readonly policy: string;
  readonly conversation: string;
  readonly reply: RecordedModelTurn;
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

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) throw InputError.one(path, '', 'expected a recorded run file for the replay model, found no such file');
  const records: T[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      try {
        records.push(JSON.parse(text) as T);
      } catch {
        throw InputError.one(path, `line ${index + 1}`, `expected a JSON record, found ${JSON.stringify(text.slice(0, 60))}`);
      }
    });
  return records;
}

export interface RecordedRunFilter {
  readonly model?: string;
  readonly policy?: string;
}

export function readRecordedRun(runDir: string, filter: RecordedRunFilter): RecordedRun {
  const conversations = new Map(readLines<ConversationRecord>(runFile(runDir, 'conversations')).map((c) => [c.id, c]));
  const turns = new Map<string, RecordedTurn[]>();
  const notices = new Map<string, string>();
  const transcripts = new Map<string, TranscriptEntry[]>();
  for (const event of readLines<RunEvent>(runFile(runDir, 'events'))) {
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
    list.push({ user: cell.user, seed: cell.seed, model: cell.model, policy: cell.policy, conversation: cell.id, reply: event.model });
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
