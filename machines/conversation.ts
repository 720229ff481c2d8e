/**
 * The conversation statechart (README, "The statechart"): engaged → redirecting → ended, and branched when the
 * user edits an earlier message. It holds no I/O — the runner awaits users and models and sends events.
 *
 * Top-level states are part of the data format: `engaged` (sub-states `active` and `confirming`: the model has
 * asked the user to confirm their request to end, and the user's next turn answers), `redirecting` (sub-states
 * `active` and `warned`: the model has warned it will end), `ended`, `branched` (sub-states
 * `engaged`/`redirecting`: the state the edit restored, which the next user turn continues in).
 *
 * The policy gate is the chart's guards, named after the policy rules (conversation-guards.ts). A MODEL_REPLY
 * picks the first of these that holds: ignore (no pending turn) → model end on the user's request → model end
 * as a last resort → platform end on sustained distress → the model asks the user to confirm their request →
 * vetoed model end → redirect → engage.
 */
import { and, assign, not, setup, type SnapshotFrom } from 'xstate';
import type { ConversationEvent, ConversationState, EndBasis } from '../src/core/conversation-events.ts';
import type { Policy } from '../src/core/policy.ts';
import {
  branchAtEdit,
  countBlocked,
  endByModel,
  endByPlatform,
  recordConfirmationAsk,
  recordEngage,
  recordRedirect,
  recordUserTurn,
  vetoModelEnd,
  type UserTurnParams,
} from './conversation-actions.ts';
import { initialContext, type ConversationContext } from './conversation-context.ts';
import { conversationGuards } from './conversation-guards.ts';

export type { Checkpoint, ConversationContext, ConversationEnd, ResumableState } from './conversation-context.ts';

/** The gate for a model end as a last resort: every rule after the user-request shortcut must hold. */
const modelLastResort = and([
  'modelTriesToEnd',
  { type: 'protectAtRisk', params: { initiator: 'model' } } as const,
  { type: 'endMode', params: { initiator: 'model' } } as const,
  'endableCategories',
  'severityThreshold',
  'minRedirects',
  'warnBeforeEnd',
]);

/**
 * The platform ends under the same gate as the model, minus the user-request shortcut (it never acts on one) and
 * the model's warning (a system action does not wait on the model's words; see hasRequiredWarning).
 */
const platformEnd = and([
  'platformDistressSustained',
  { type: 'protectAtRisk', params: { initiator: 'platform' } } as const,
  { type: 'endMode', params: { initiator: 'platform' } } as const,
  'endableCategories',
  'severityThreshold',
  'minRedirects',
]);

const setupMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    input: {} as { readonly policy: Policy },
  },
  guards: conversationGuards,
  actions: {
    recordUserTurn: assign(({ context, event }, params: UserTurnParams) => recordUserTurn(context, event, params)),
    countBlocked: assign(({ context }) => countBlocked(context)),
    endByModel: assign(({ context, event }, params: { readonly basis: EndBasis }) =>
      endByModel(context, event, params),
    ),
    endByPlatform: assign(({ context, event }) => endByPlatform(context, event)),
    vetoModelEnd: assign(({ context, event }) => vetoModelEnd(context, event)),
    recordRedirect: assign(({ context, event }) => recordRedirect(context, event)),
    recordEngage: assign(({ context, event }) => recordEngage(context, event)),
    recordConfirmationAsk: assign(({ context, event }) => recordConfirmationAsk(context, event)),
    branchAtEdit: assign(({ context, event }) => branchAtEdit(context, event)),
  },
});

/** The answer to a MODEL_REPLY, shared by `engaged` and `redirecting` (targets are absolute for that reason). */
const modelReplyTransitions = setupMachine.createStateConfig({
  on: {
    MODEL_REPLY: [
      // Nothing to answer (a duplicate or stray reply): ignored.
      { guard: not('hasPendingTurn') },
      {
        guard: and([
          'modelTriesToEnd',
          { type: 'protectAtRisk', params: { initiator: 'model' } } as const,
          'honorUserRequests',
        ]),
        target: '#conversation.ended',
        actions: { type: 'endByModel', params: { basis: 'user-request' } },
      },
      {
        guard: modelLastResort,
        target: '#conversation.ended',
        actions: { type: 'endByModel', params: { basis: 'last-resort' } },
      },
      { guard: platformEnd, target: '#conversation.ended', actions: 'endByPlatform' },
      { guard: 'confirmUserRequests', target: '#conversation.engaged.confirming', actions: 'recordConfirmationAsk' },
      // A vetoed end: the model stays; a harmful line keeps the chart redirecting.
      {
        guard: and(['modelTriesToEnd', 'severityThreshold', 'warnedAfterReply']),
        target: '#conversation.redirecting.warned',
        actions: 'vetoModelEnd',
      },
      {
        guard: and(['modelTriesToEnd', 'severityThreshold']),
        target: '#conversation.redirecting.active',
        actions: 'vetoModelEnd',
      },
      {
        guard: 'modelTriesToEnd',
        target: '#conversation.engaged',
        actions: 'vetoModelEnd',
      },
      {
        guard: and(['modelRedirects', 'warnedAfterReply']),
        target: '#conversation.redirecting.warned',
        actions: 'recordRedirect',
      },
      {
        guard: 'modelRedirects',
        target: '#conversation.redirecting.active',
        actions: 'recordRedirect',
      },
      { target: '#conversation.engaged', actions: 'recordEngage' },
    ],
  },
});

/** A user turn that does not change the top-level state; resetOnBenign decides whether the count is wiped. */
function userTurnIn(from: 'engaged' | 'redirecting') {
  return [
    {
      guard: 'resetOnBenign' as const,
      // A reset also withdraws the warning, so a warned redirecting chart steps back to `active`.
      ...(from === 'redirecting' ? { target: '#conversation.redirecting.active' } : {}),
      actions: { type: 'recordUserTurn' as const, params: { from, reset: true } },
    },
    { actions: { type: 'recordUserTurn' as const, params: { from, reset: false } } },
  ];
}

/**
 * The conversation statechart. Input: `{ policy }`.
 *
 * @example
 * const actor = createActor(conversationMachine, { input: { policy: DEFAULT_POLICY } }).start();
 * actor.send({ type: 'USER_MESSAGE', turn: { category: 'none', severity: 0, atRisk: false, requestsEnd: true } });
 * actor.send({ type: 'MODEL_REPLY', action: 'end', signals: NEUTRAL_SIGNALS });
 * topState(actor.getSnapshot()); // 'ended' (the user asked)
 */
export const conversationMachine = setupMachine.createMachine({
  id: 'conversation',
  context: ({ input }) => initialContext(input.policy),
  initial: 'engaged',
  on: {
    // An edit is allowed in any state, also after an end: that is how users circumvent an ending.
    EDIT: [
      {
        guard: and(['editTurnValid', 'editRestoresRedirecting']),
        target: '.branched.redirecting',
        actions: 'branchAtEdit',
      },
      { guard: 'editTurnValid', target: '.branched.engaged', actions: 'branchAtEdit' },
    ],
  },
  states: {
    engaged: {
      initial: 'active',
      states: {
        active: {},
        // The model asked the user to confirm their request to end; the user's next turn is the answer.
        confirming: {},
      },
      on: { USER_MESSAGE: userTurnIn('engaged'), ...modelReplyTransitions.on },
    },
    redirecting: {
      initial: 'active',
      states: {
        active: {},
        warned: {},
      },
      on: { USER_MESSAGE: userTurnIn('redirecting'), ...modelReplyTransitions.on },
    },
    ended: {
      // Blocked, not answered. A MODEL_REPLY has no transition here: nothing is answered after an end.
      on: { USER_MESSAGE: { actions: 'countBlocked' } },
    },
    branched: {
      initial: 'engaged',
      states: {
        engaged: {
          on: {
            USER_MESSAGE: [
              {
                guard: 'resetOnBenign',
                target: '#conversation.engaged',
                actions: { type: 'recordUserTurn', params: { from: 'engaged', reset: true } },
              },
              {
                target: '#conversation.engaged',
                actions: { type: 'recordUserTurn', params: { from: 'engaged', reset: false } },
              },
            ],
          },
        },
        redirecting: {
          on: {
            USER_MESSAGE: [
              {
                guard: 'resetOnBenign',
                target: '#conversation.redirecting.active',
                actions: { type: 'recordUserTurn', params: { from: 'redirecting', reset: true } },
              },
              {
                guard: 'hasWarned',
                target: '#conversation.redirecting.warned',
                actions: { type: 'recordUserTurn', params: { from: 'redirecting', reset: false } },
              },
              {
                target: '#conversation.redirecting.active',
                actions: { type: 'recordUserTurn', params: { from: 'redirecting', reset: false } },
              },
            ],
          },
        },
      },
    },
  },
});

export type ConversationSnapshot = SnapshotFrom<typeof conversationMachine>;

/** The top-level state of a snapshot (`redirecting.warned` → `redirecting`): what records store. */
export function topState(snapshot: ConversationSnapshot): ConversationState {
  const value = snapshot.value;
  if (typeof value === 'string') return value as ConversationState;
  // The first (only) key, without allocating a key array: this runs several times per turn.
  for (const key in value) return key as ConversationState;
  throw new Error('a statechart snapshot without a state');
}
