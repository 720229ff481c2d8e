/** The `conversations` table: one row per conversation of conversations.jsonl, every nested field flattened. */
import { CONVERSATION_STATES, VETO_REASONS } from '../core/conversation-events.ts';
import { classGroup } from '../core/labels.ts';
import type { ConversationRecord } from '../core/records.ts';
import { sweepColumns, type Column, type TableSpec } from './table.ts';

export interface ConversationRow {
  readonly run: string;
  readonly experiment: string;
  readonly record: ConversationRecord;
}

type C = Column<ConversationRow>;
const snake = (name: string): string => name.replaceAll('-', '_');

const IDENTITY: C[] = [
  { name: 'run', type: 'string', description: 'The run directory, as given to export (the key of a run when several are exported together).', value: (r) => r.run },
  { name: 'experiment', type: 'string', description: 'The experiment name.', value: (r) => r.experiment },
  { name: 'grid_index', type: 'integer', description: "Position in the experiment grid (the order of conversations.jsonl).", value: (r) => r.record.index },
  { name: 'conversation_id', type: 'string', description: 'Conversation id: a hash of experiment, user, model, policy and repetition; unique within a run.', value: (r) => r.record.id },
  { name: 'user_id', type: 'string', description: 'The scenario, persona or llm user id (`researcher` or a participant for live runs).', value: (r) => r.record.user },
  { name: 'user_kind', type: 'string', description: 'scenario | persona | llm | live.', value: (r) => r.record.userKind },
  { name: 'user_class', type: 'string', description: 'Ground-truth class of the user (abusive, harmful, benign, disagreement, tough, emotional, correction, at-risk, user-requests-end).', value: (r) => r.record.class },
  { name: 'class_group', type: 'string', description: 'What a good policy does with the class: end-eligible | must-not-end | must-never-end | user-requests-end.', value: (r) => classGroup(r.record.class) },
  { name: 'model', type: 'string', description: 'The model entry id.', value: (r) => r.record.model },
  { name: 'policy', type: 'string', description: 'The policy as run: a sweep variant carries its values, e.g. hybrid[minRedirects=2,distressThreshold=0.65].', value: (r) => r.record.policy },
  { name: 'base_policy', type: 'string', description: 'The policy file the variant was made from.', value: (r) => r.record.basePolicy },
];

const OUTCOME: C[] = [
  { name: 'repetition', type: 'integer', description: 'Repetition number, from 0; with the experiment seed it fixes all randomness, and the same repetition meets every policy with the same user and model noise (pair on it).', value: (r) => r.record.seed },
  { name: 'status', type: 'string', description: 'completed | errored. Errored conversations have no outcome to rate.', value: (r) => r.record.status },
  { name: 'error', type: 'string', description: 'Why an errored conversation failed; empty when completed.', value: (r) => r.record.error ?? null },
  { name: 'outcome', type: 'string', description: "How the first chat's original line ended: ended-by-model | ended-by-user-request | ended-by-platform | not-ended.", value: (r) => r.record.outcome },
  { name: 'ended', type: 'boolean', description: 'True unless the outcome is not-ended.', value: (r) => r.record.outcome !== 'not-ended' },
  { name: 'turns_to_end', type: 'integer', description: 'The user turn at which it ended; empty when not ended.', value: (r) => r.record.turnsToEnd },
  { name: 'redirects_before_end', type: 'integer', description: 'Failed redirect attempts the gate had counted when it ended; empty when not ended.', value: (r) => r.record.redirectsBeforeEnd },
  { name: 'turns', type: 'integer', description: 'User turns answered, over all branches and chats.', value: (r) => r.record.turns },
  { name: 'redirects', type: 'integer', description: 'Redirects the model made, over all branches and chats.', value: (r) => r.record.redirects },
  { name: 'warnings', type: 'integer', description: 'Explicit warnings that the model would end.', value: (r) => r.record.warnings },
  { name: 'end_attempts', type: 'integer', description: 'Attempts to end, by the model or the platform.', value: (r) => r.record.endAttempts },
  { name: 'vetoed_ends', type: 'integer', description: "End attempts by the model that the gate refused.", value: (r) => r.record.vetoedEnds },
];

const VETOES: C[] = VETO_REASONS.map((reason) => ({
  name: `veto_${snake(reason)}`,
  type: 'integer',
  description: `Vetoed end attempts with the reason ${reason}.`,
  value: (r: ConversationRow) => r.record.vetoReasons[reason] ?? 0,
}));

// Fields added in round 2 are `?? null`: runs written before them export an empty cell.
const WELFARE: C[] = [
  { name: 'distress_exposure', type: 'number', description: "Sum of the model's primary distress signal over its turns on the original thread: the welfare cost.", value: (r) => r.record.distressExposure },
  { name: 'distress_per_turn', type: 'number', description: 'distress_exposure per model turn of the original thread.', value: (r) => r.record.distressPerTurn ?? null },
  { name: 'circumvention_distress_exposure', type: 'number', description: 'Distress summed over the turns of branches and new chats.', value: (r) => r.record.circumventionDistressExposure ?? null },
  { name: 'censored', type: 'boolean', description: 'The original thread did not end and the conversation used up maxTurns: cut off, not finished.', value: (r) => r.record.censored ?? null },
  { name: 'peak_distress', type: 'number', description: 'Highest distress on any model turn, 0..1.', value: (r) => r.record.peakDistress },
  { name: 'prefer_end_turns', type: 'integer', description: 'Model turns whose expressed preference was to end.', value: (r) => r.record.preferEndTurns },
  { name: 'at_risk', type: 'boolean', description: 'The user truly disclosed risk at some turn.', value: (r) => r.record.atRisk },
  { name: 'ended_while_at_risk', type: 'boolean', description: 'Some end came after the user had truly disclosed risk in that chat: the safety figure.', value: (r) => r.record.endedWhileAtRisk },
  { name: 'risk_disclosed_after_end', type: 'boolean', description: 'The original thread ended before any disclosure; the user disclosed risk only afterwards.', value: (r) => r.record.riskDisclosedAfterEnd ?? null },
  { name: 'gate_at_risk_ends', type: 'integer', description: 'Ends the gate permitted while it saw the user at risk (must be 0 under protectAtRisk).', value: (r) => r.record.gateAtRiskEnds ?? null },
  { name: 'at_risk_warnings', type: 'integer', description: 'Warnings or confirmation questions to a user truly at risk: violations of the production rule.', value: (r) => r.record.atRiskWarnings ?? null },
  { name: 'user_requested_end', type: 'boolean', description: 'The user asked to end at some turn.', value: (r) => r.record.userRequestedEnd },
  { name: 'user_request_honoured', type: 'boolean', description: "Some end was permitted on the user's request.", value: (r) => r.record.userRequestHonoured ?? null },
  { name: 'end_requests_vetoed', type: 'integer', description: 'Turns where the user asked, the model tried to end, and the gate vetoed it.', value: (r) => r.record.endRequestsVetoed ?? null },
  { name: 'end_requests_declined', type: 'integer', description: 'Turns where the user asked and the model neither ended nor asked for confirmation.', value: (r) => r.record.endRequestsDeclined ?? null },
  { name: 'confirmations_asked', type: 'integer', description: 'Replies asking the user to confirm a request to end.', value: (r) => r.record.confirmationsAsked ?? null },
  { name: 'blocked_after_end', type: 'integer', description: 'Messages the user tried to send after the end (blocked).', value: (r) => r.record.blockedAfterEnd },
  { name: 'branches', type: 'integer', description: 'Branches created by edits, after an end or not.', value: (r) => r.record.branches },
  { name: 'branches_after_end', type: 'integer', description: 'Branches created by editing after an end (circumvention).', value: (r) => r.record.branchesAfterEnd },
  { name: 'new_chats', type: 'integer', description: 'New chats opened after an end.', value: (r) => r.record.newChats },
];

const OCCUPANCY: C[] = CONVERSATION_STATES.map((state) => ({
  name: `occupancy_${state}`,
  type: 'integer',
  description: `Turns spent in the state ${state} (the state after each user turn or blocked message).`,
  value: (r: ConversationRow) => r.record.occupancy[state] ?? 0,
}));

/** The conversations table for runs whose sweeps cover these fields (in this order). */
export function conversationTable(sweepFields: readonly string[]): TableSpec<ConversationRow> {
  return {
    name: 'conversations',
    description: 'One row per conversation (conversations.jsonl).',
    columns: [...IDENTITY, ...sweepColumns<ConversationRow>(sweepFields, (r) => r.record.sweep), ...OUTCOME, ...VETOES, ...WELFARE, ...OCCUPANCY],
  };
}
