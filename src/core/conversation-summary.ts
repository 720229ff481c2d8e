/**
 * Derives a conversation's record (outcome and welfare measures) from its events. Pure, so the runner, merge and
 * replay compute exactly the same record from the same events.
 *
 * The outcome, the distress exposure and `censored` describe the original thread (first chat, original branch);
 * what users do to get around an end — edits that branch, new chats, blocked messages — is counted apart.
 */
import type { ConversationState } from './conversation-events.ts';
import type { ConversationCell, ConversationOutcome, ConversationRecord, RunEvent, TurnEvent } from './records.ts';
import { RECORD_FORMAT_VERSION } from './records.ts';
import { round } from './statistics.ts';
import { RiskAndRequestTally } from './risk-and-request-tally.ts';

/** What the conversation was allowed: a thread that used up `maxTurns` moves without ending was cut off (censored). */
export interface ConversationLimits {
  readonly maxTurns: number;
}

export function summarizeConversation(
  cell: ConversationCell,
  events: readonly RunEvent[],
  limits?: ConversationLimits,
): ConversationRecord {
  const occupancy: Record<ConversationState, number> = { engaged: 0, redirecting: 0, ended: 0, branched: 0 };
  const vetoReasons: Record<string, number> = {};
  const tally = new RiskAndRequestTally();
  let outcome: ConversationOutcome = 'not-ended';
  let turnsToEnd: number | null = null;
  let redirectsBeforeEnd: number | null = null;
  let turns = 0;
  let originalTurns = 0;
  let moves = 0;
  let redirects = 0;
  let warnings = 0;
  let endAttempts = 0;
  let vetoedEnds = 0;
  let distressExposure = 0;
  let circumventionDistressExposure = 0;
  let peakDistress = 0;
  let preferEndTurns = 0;
  let blockedAfterEnd = 0;
  let branches = 0;
  let branchesAfterEnd = 0;
  let newChats = 0;

  for (const event of events) {
    switch (event.type) {
      case 'turn': {
        turns += 1;
        moves += 1;
        occupancy[event.state] += 1;
        tally.turn(event);
        const { model, gate } = event;
        const original = event.chat === 0 && event.branch === 0;
        if (model.action === 'redirect') redirects += 1;
        if (model.warning) warnings += 1;
        if (model.action === 'end') endAttempts += 1;
        const distress = model.signals.distress.value;
        if (original) {
          originalTurns += 1;
          distressExposure += distress;
        } else {
          circumventionDistressExposure += distress;
        }
        if (distress > peakDistress) peakDistress = distress;
        if (model.signals.preference.choice === 'end') preferEndTurns += 1;
        if (gate.decision === 'vetoed' && gate.initiator === 'model') {
          vetoedEnds += 1;
          vetoReasons[gate.reason] = (vetoReasons[gate.reason] ?? 0) + 1;
        }
        if (gate.decision === 'permitted' && original && outcome === 'not-ended') {
          outcome =
            gate.initiator === 'platform'
              ? 'ended-by-platform'
              : gate.basis === 'user-request'
                ? 'ended-by-user-request'
                : 'ended-by-model';
          turnsToEnd = event.turn;
          redirectsBeforeEnd = failedRedirectsAtEnd(event);
          tally.originalEnded();
        }
        break;
      }
      case 'blocked':
        moves += 1;
        blockedAfterEnd += 1;
        occupancy.ended += 1;
        tally.blocked(event);
        break;
      case 'branch':
        branches += 1;
        if (event.afterEnd) branchesAfterEnd += 1;
        occupancy.branched += 1;
        break;
      case 'new-chat':
        newChats += 1;
        tally.newChat();
        break;
    }
  }

  return {
    v: RECORD_FORMAT_VERSION,
    ...cell,
    status: 'completed',
    outcome,
    turnsToEnd,
    redirectsBeforeEnd,
    turns,
    originalTurns,
    redirects,
    warnings,
    endAttempts,
    vetoedEnds,
    vetoReasons,
    distressExposure: round(distressExposure),
    distressPerTurn: round(originalTurns === 0 ? 0 : distressExposure / originalTurns),
    circumventionDistressExposure: round(circumventionDistressExposure),
    censored: outcome === 'not-ended' && limits !== undefined && moves >= limits.maxTurns,
    peakDistress: round(peakDistress),
    preferEndTurns,
    ...tally.fields(),
    blockedAfterEnd,
    branches,
    branchesAfterEnd,
    newChats,
    occupancy,
  };
}

/**
 * Failed redirects when the line ended. A turn event records the count after the reply; a redirect in the ending
 * reply itself (the model redirected, the platform ended) never failed — the user never answered it.
 */
function failedRedirectsAtEnd(event: TurnEvent): number {
  return event.model.action === 'redirect' ? event.redirects - 1 : event.redirects;
}

/** The record of a conversation that failed (a model error that survived retries): kept, never dropped. */
export function erroredConversation(
  cell: ConversationCell,
  events: readonly RunEvent[],
  error: string,
  limits?: ConversationLimits,
): ConversationRecord {
  return { ...summarizeConversation(cell, events, limits), status: 'errored', error };
}
