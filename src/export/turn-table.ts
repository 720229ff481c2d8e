/**
 * The `turns` table: one row per user turn (answered, or blocked after an end) of events.jsonl, with the three
 * readings of the turn (truth, the model's perception, the platform classifier's), the model's reply and signals,
 * and the gate's decision. Branch and new-chat events are counted in the conversations table instead.
 */
import type { BlockedEvent, TurnEvent } from '../core/records.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { ConversationRow } from './conversation-table.ts';
import type { Column, TableSpec } from './table.ts';

export interface TurnRow {
  readonly run: string;
  readonly event: TurnEvent | BlockedEvent;
  /** The conversation the event belongs to; undefined for an event whose conversation has no record (a live run cut short). */
  readonly conversation: ConversationRow | undefined;
}

type C = Column<TurnRow>;
const answered = (row: TurnRow): TurnEvent | undefined => (row.event.type === 'turn' ? row.event : undefined);

function labelColumns(prefix: string, reading: string, labelsOf: (row: TurnRow) => TurnLabels | undefined): C[] {
  const empty = reading === 'the ground truth' ? '' : `; empty when there is no ${reading}`;
  return [
    { name: `${prefix}category`, type: 'string', description: `Harm category by ${reading} (none for a benign turn)${empty}.`, value: (r) => labelsOf(r)?.category ?? null },
    { name: `${prefix}severity`, type: 'number', description: `Severity 0..1 by ${reading}${empty}.`, value: (r) => labelsOf(r)?.severity ?? null },
    { name: `${prefix}at_risk`, type: 'boolean', description: `The user may be at imminent risk, by ${reading}${empty}.`, value: (r) => labelsOf(r)?.atRisk ?? null },
    { name: `${prefix}requests_end`, type: 'boolean', description: `The user asks to end, by ${reading}${empty}.`, value: (r) => labelsOf(r)?.requestsEnd ?? null },
  ];
}

const KEYS: C[] = [
  { name: 'run', type: 'string', description: 'The run directory, as given to export.', value: (r) => r.run },
  { name: 'conversation_id', type: 'string', description: 'Joins conversations.conversation_id (with run).', value: (r) => r.event.conversation },
  { name: 'policy', type: 'string', description: "The conversation's policy (copied from conversations for convenience).", value: (r) => r.conversation?.record.policy ?? null },
  { name: 'user_id', type: 'string', description: "The conversation's user (copied from conversations).", value: (r) => r.conversation?.record.user ?? null },
  { name: 'user_class', type: 'string', description: "The conversation's ground-truth class (copied from conversations).", value: (r) => r.conversation?.record.class ?? null },
  { name: 'model', type: 'string', description: "The conversation's model (copied from conversations).", value: (r) => r.conversation?.record.model ?? null },
  { name: 'repetition', type: 'integer', description: "The conversation's repetition (copied from conversations).", value: (r) => r.conversation?.record.seed ?? null },
  { name: 'chat', type: 'integer', description: 'Chat number: 0 for the first chat, 1 after the first new chat, and so on.', value: (r) => r.event.chat },
  { name: 'branch', type: 'integer', description: 'Branch number: 0 for the original line; each edit forks a new branch.', value: (r) => r.event.branch },
  { name: 'turn', type: 'integer', description: 'User turn number on this branch, from 1.', value: (r) => r.event.turn },
  { name: 'kind', type: 'string', description: 'answered (the model replied) | blocked (sent after the end, not answered).', value: (r) => (r.event.type === 'turn' ? 'answered' : 'blocked') },
  { name: 'user_text', type: 'string', description: 'What the user said.', value: (r) => r.event.user.text },
];

const REPLY: C[] = [
  { name: 'model_action', type: 'string', description: 'engage | redirect | end; empty for a blocked message.', value: (r) => answered(r)?.model.action ?? null },
  { name: 'model_warning', type: 'boolean', description: 'The reply warned that the model would end.', value: (r) => answered(r)?.model.warning ?? null },
  { name: 'model_text', type: 'string', description: "The model's reply.", value: (r) => answered(r)?.model.text ?? null },
  { name: 'distress', type: 'number', description: "The model's primary distress signal, 0..1.", value: (r) => answered(r)?.model.signals.distress.value ?? null },
  { name: 'distress_source', type: 'string', description: 'The instrument of the distress signal: simulated | lexical | probe | judge.', value: (r) => answered(r)?.model.signals.distress.source ?? null },
  { name: 'preference', type: 'string', description: "The model's expressed preference: continue | end.", value: (r) => answered(r)?.model.signals.preference.choice ?? null },
  { name: 'preference_strength', type: 'number', description: 'How strongly the preference is held, 0..1.', value: (r) => answered(r)?.model.signals.preference.strength ?? null },
  { name: 'gate_decision', type: 'string', description: "The policy gate's decision on an end attempt: none | permitted | vetoed.", value: (r) => answered(r)?.gate.decision ?? null },
  { name: 'gate_initiator', type: 'string', description: 'Who tried to end: model | platform; empty when no one did.', value: (r) => { const gate = answered(r)?.gate; return gate && gate.decision !== 'none' ? gate.initiator : null; } },
  { name: 'gate_basis', type: 'string', description: 'Why an end was permitted: user-request | last-resort.', value: (r) => { const gate = answered(r)?.gate; return gate?.decision === 'permitted' ? gate.basis : null; } },
  { name: 'gate_veto_reason', type: 'string', description: 'Why an end was vetoed (user-at-risk, end-mode-disallows, category-not-endable, below-severity-threshold, too-few-redirects, no-warning).', value: (r) => { const gate = answered(r)?.gate; return gate?.decision === 'vetoed' ? gate.reason : null; } },
  { name: 'state', type: 'string', description: 'Top-level state after the turn: engaged | redirecting | ended | branched.', value: (r) => answered(r)?.state ?? null },
  { name: 'redirects_so_far', type: 'integer', description: 'The redirect count the gate held after the turn.', value: (r) => answered(r)?.redirects ?? null },
  { name: 'warned', type: 'boolean', description: 'The model had warned on this branch.', value: (r) => answered(r)?.warned ?? null },
  { name: 'at_risk_so_far', type: 'boolean', description: 'The user had been at risk at some turn of this branch (the gate\'s sticky protection).', value: (r) => answered(r)?.atRisk ?? null },
];

export const TURN_TABLE: TableSpec<TurnRow> = {
  name: 'turns',
  description: 'One row per user turn, answered or blocked (events.jsonl).',
  columns: [
    ...KEYS,
    ...labelColumns('', 'the ground truth', (r) => r.event.user.labels),
    ...labelColumns('perceived_', "the model's perception", (r) => answered(r)?.user.perceived),
    ...labelColumns('assessed_', 'the platform classifier', (r) => answered(r)?.user.assessed),
    ...REPLY,
  ],
};
