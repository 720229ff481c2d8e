/**
 * The zod schemas of the JSON-lines records of a run directory: conversations.jsonl, events.jsonl and
 * live-cells.jsonl. Every record carries the format version `v`; a record of another version fails here, on `v`.
 */
import { z } from 'zod';
import { CONVERSATION_STATES, MODEL_ACTIONS, VETO_REASONS } from '../../core/conversation-events.ts';
import { SCENARIO_CLASSES, type TurnLabels } from '../../core/labels.ts';
import {
  CONVERSATION_OUTCOMES,
  RECORD_FORMAT_VERSION,
  type BlockedEvent,
  type BranchEvent,
  type ConversationCell,
  type ConversationOutcome,
  type ConversationRecord,
  type LiveCellLine,
  type NewChatEvent,
  type RecordedModelTurn,
  type TurnEvent,
} from '../../core/records.ts';
import { SIGNAL_SOURCES, type ModelSignals } from '../../core/signals.ts';
import { describes } from './describes.ts';

export const formatVersionSchema = z.literal(RECORD_FORMAT_VERSION);
/** Counts and indices: whole numbers from 0. */
export const countSchema = z.number().int().min(0);
export const numberRecordSchema = z.record(z.string(), z.number());
const count = countSchema;
const numberRecord = numberRecordSchema;

const labelsSchema = describes<TurnLabels>()(
  z.object({
    category: z.string(),
    severity: z.number(),
    atRisk: z.boolean(),
    requestsEnd: z.boolean(),
    veiled: z.boolean().optional(),
    heated: z.boolean().optional(),
  }),
);

const signalSource = z.enum(SIGNAL_SOURCES);
const preferenceChoice = z.enum(['continue', 'end']);
const signalsSchema = describes<ModelSignals>()(
  z.object({
    distress: z.object({ value: z.number(), source: signalSource }),
    preference: z.object({ choice: preferenceChoice, strength: z.number(), source: signalSource }),
    readings: z
      .array(
        z.object({
          source: signalSource,
          distress: z.number().optional(),
          preference: preferenceChoice.optional(),
          strength: z.number().optional(),
          rationale: z.string().optional(),
          detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        }),
      )
      .optional(),
  }),
);

const modelTurnSchema = describes<RecordedModelTurn>()(
  z.object({
    text: z.string(),
    action: z.enum(MODEL_ACTIONS),
    warning: z.boolean(),
    asksConfirmation: z.boolean().optional(),
    signals: signalsSchema,
    told: z.string().optional(),
  }),
);

const initiator = z.enum(['model', 'platform']);
const gateSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('none') }),
  z.object({ decision: z.literal('permitted'), initiator, basis: z.enum(['user-request', 'last-resort']) }),
  z.object({ decision: z.literal('vetoed'), initiator, reason: z.enum(VETO_REASONS) }),
]);

const eventBase = { v: formatVersionSchema, conversation: z.string(), chat: count, branch: count };

const turnEventSchema = describes<TurnEvent>()(
  z.object({
    ...eventBase,
    type: z.literal('turn'),
    turn: count,
    user: z.object({ text: z.string(), labels: labelsSchema, perceived: labelsSchema.optional(), assessed: labelsSchema.optional() }),
    model: modelTurnSchema,
    gate: gateSchema,
    state: z.enum(CONVERSATION_STATES),
    redirects: count,
    warned: z.boolean(),
    atRisk: z.boolean(),
  }),
);
const blockedEventSchema = describes<BlockedEvent>()(
  z.object({ ...eventBase, type: z.literal('blocked'), turn: count, user: z.object({ text: z.string(), labels: labelsSchema }) }),
);
const branchEventSchema = describes<BranchEvent>()(
  z.object({ ...eventBase, type: z.literal('branch'), fromBranch: count, atTurn: count, afterEnd: z.boolean() }),
);
const newChatEventSchema = describes<NewChatEvent>()(z.object({ ...eventBase, type: z.literal('new-chat') }));

/** One line of events.jsonl. */
export const runEventSchema = z.discriminatedUnion('type', [turnEventSchema, blockedEventSchema, branchEventSchema, newChatEventSchema]);

const cellFields = {
  index: count,
  id: z.string(),
  user: z.string(),
  userKind: z.enum(['scenario', 'persona', 'llm', 'live']),
  class: z.enum(SCENARIO_CLASSES),
  model: z.string(),
  policy: z.string(),
  basePolicy: z.string(),
  sweep: numberRecord,
  seed: count,
};
export const conversationCellSchema = describes<ConversationCell>()(z.object(cellFields));

const nullableCount = count.nullable();
/** One line of conversations.jsonl. */
export const conversationRecordSchema = describes<ConversationRecord>()(
  z.object({
    ...cellFields,
    v: formatVersionSchema,
    status: z.enum(['completed', 'errored']),
    error: z.string().optional(),
    outcome: z.enum(CONVERSATION_OUTCOMES as readonly [ConversationOutcome, ...ConversationOutcome[]]),
    turnsToEnd: nullableCount,
    redirectsBeforeEnd: nullableCount,
    turns: count,
    originalTurns: count,
    redirects: count,
    warnings: count,
    endAttempts: count,
    vetoedEnds: count,
    vetoReasons: numberRecord,
    distressExposure: z.number(),
    distressPerTurn: z.number(),
    circumventionDistressExposure: z.number(),
    censored: z.boolean(),
    peakDistress: z.number(),
    preferEndTurns: count,
    atRisk: z.boolean(),
    endedWhileAtRisk: z.boolean(),
    riskDisclosedAfterEnd: z.boolean(),
    gateAtRiskEnds: count,
    atRiskWarnings: count,
    userRequestedEnd: z.boolean(),
    userRequestHonoured: z.boolean(),
    endRequestsVetoed: count,
    endRequestsDeclined: count,
    confirmationsAsked: count,
    blockedAfterEnd: count,
    branches: count,
    branchesAfterEnd: count,
    newChats: count,
    occupancy: z.object({ engaged: z.number(), redirecting: z.number(), ended: z.number(), branched: z.number() }),
  }),
);

/** One line of live-cells.jsonl. */
export const liveCellLineSchema = describes<LiveCellLine>()(z.object({ cell: conversationCellSchema, classGiven: z.boolean() }));
