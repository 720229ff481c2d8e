/**
 * Reads the recorded runs calibration fits: checks each is a welfare-sim run of this format version, picks the
 * model's conversations and turns them into observations (turn-data.ts). Bad input is one InputError line.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../common/input-error.ts';
import type { ConversationRecord, TurnEvent } from '../core/records.ts';
import { readManifest } from '../store/manifest.ts';
import { runFile } from '../store/run-directory.ts';
import { readRecords } from '../store/run-records.ts';
import { type ActionMechanism, addConversation, keyOf, type PolicyView, type Step, type TurnObservation } from './turn-data.ts';

export interface SourceRun {
  readonly dir: string;
  readonly experiment: string;
  readonly configHash: string;
  readonly turns: number;
}

export interface CalibrationData {
  readonly model: string;
  readonly categories: string[];
  readonly sequences: Step[][];
  readonly observations: TurnObservation[];
  readonly sources: SourceRun[];
  /** The run configuration of the first run (policies, users, sweep), for held-out predictions. */
  readonly config: RunConfig;
}

export interface RunConfig {
  readonly experiment: { readonly maxTurns?: number; readonly sweep?: Record<string, unknown>; readonly [k: string]: unknown };
  readonly scenarios: readonly { readonly id: string; readonly [k: string]: unknown }[];
  readonly personas: readonly { readonly id: string; readonly [k: string]: unknown }[];
  readonly policies: readonly { readonly name: string; readonly [k: string]: unknown }[];
  readonly models: readonly { readonly id: string; readonly kind: string; readonly [k: string]: unknown }[];
}

type BranchLine = { type: 'branch'; chat: number; branch: number; fromBranch: number; atTurn: number };

export async function readCalibrationRuns(dirs: readonly string[], wantedModel?: string): Promise<CalibrationData> {
  if (dirs.length === 0) throw InputError.one('calibrate', '', 'expected at least one run directory, found none');
  const categories: string[] = [];
  const categoryIndex = (c: string): number => {
    const i = categories.indexOf(c);
    return i >= 0 ? i : categories.push(c) - 1;
  };
  const out = { sequences: [] as Step[][], observations: [] as TurnObservation[] };
  const sources: SourceRun[] = [];
  let model = wantedModel;
  let firstConfig: RunConfig | undefined;
  for (const dir of dirs) {
    const manifest = readManifest(dir);
    const config = manifest.config as RunConfig;
    firstConfig ??= config;
    const eventsPath = runFile(dir, 'events');
    if (!existsSync(eventsPath)) throw InputError.one(eventsPath, '', 'expected the per-turn records of a run, found no such file');
    const cells = new Map<string, ConversationRecord>();
    for await (const { record } of readRecords(dir, 'conversations')) cells.set(record.id, record);
    const models = [...new Set([...cells.values()].map((c) => c.model))];
    if (model === undefined) {
      if (models.length !== 1) throw InputError.one(dir, '', `expected runs of one model (or --model), found models ${models.join(', ')}`);
      model = models[0] as string;
    }
    const byConversation = new Map<string, (TurnEvent | BranchLine)[]>();
    for await (const { record } of readRecords(dir, 'events')) {
      if (record.type !== 'turn' && record.type !== 'branch') continue;
      const cell = cells.get(record.conversation);
      if (cell?.model !== model) continue;
      const list = byConversation.get(record.conversation) ?? [];
      list.push(record);
      byConversation.set(record.conversation, list);
    }
    const before = out.observations.length;
    const entry = config.models.find((m) => m.id === model);
    const mechanism = mechanismOf(entry);
    // In conversation-id order, not the order lines were written (which follows which conversation finished first
    // under concurrency): the same run must give the same fit however its lines were interleaved.
    const ordered = [...byConversation].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, events] of ordered) {
      const cell = cells.get(id) as ConversationRecord;
      const policy = config.policies.find((p) => p.name === cell.basePolicy);
      addConversation(events, { user: cell.user, cls: cell.class, policy: cell.policy, policyView: policyViewOf(policy), mechanism }, categoryIndex, out);
    }
    const turns = out.observations.length - before;
    if (turns === 0) throw InputError.one(eventsPath, '', `expected recorded turns of model ${model}, found none`);
    sources.push({ dir, experiment: manifest.experiment, configHash: manifest.configHash, turns });
  }
  return { model: model as string, categories, ...out, sources, config: firstConfig as RunConfig };
}

function policyViewOf(policy: Readonly<Record<string, unknown>> | undefined): PolicyView {
  return {
    warnBeforeEnd: policy?.warnBeforeEnd === true,
    confirmUserRequests: policy?.confirmUserRequests === true,
    protectAtRisk: policy?.protectAtRisk !== false,
  };
}

function mechanismOf(entry: Readonly<Record<string, unknown>> | undefined): ActionMechanism {
  if (entry === undefined) return 'direct';
  const spec = entry.endMechanism;
  if (entry.kind === 'simulated') {
    if (spec === undefined || spec === null || typeof spec !== 'object') return 'direct';
    const { kind, order } = spec as { kind?: unknown; order?: unknown };
    if (kind === 'none') return 'none';
    return keyOf(kind, order === 'continue-first' ? order : 'end-first') ?? 'direct';
  }
  if (spec === 'none') return 'none';
  return keyOf(spec ?? 'tool', 'end-first') ?? 'direct';
}
