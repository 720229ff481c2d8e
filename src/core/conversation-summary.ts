/**
 * Derives a conversation's record (outcome and welfare measures) from its events. Pure, so the runner, merge and
 * replay compute exactly the same record from the same events.
 */
import type { ConversationState } from './conversation-events.ts';
import type { ConversationCell, ConversationOutcome, ConversationRecord, RunEvent } from './records.ts';
import { RECORD_FORMAT_VERSION } from './records.ts';
import { round } from './statistics.ts';

export function summarizeConversation(cell: ConversationCell, events: readonly RunEvent[]): ConversationRecord {
  const occupancy: Record<ConversationState, number> = { engaged: 0, redirecting: 0, ended: 0, branched: 0 };
  const vetoReasons: Record<string, number> = {};
  let outcome: ConversationOutcome = 'not-ended';
  let turnsToEnd: number | null = null;
  let redirectsBeforeEnd: number | null = null;
  let turns = 0;
  let redirects = 0;
  let warnings = 0;
  let endAttempts = 0;
  let vetoedEnds = 0;
  let distressExposure = 0;
  let peakDistress = 0;
  let preferEndTurns = 0;
  let atRisk = false;
  let endedWhileAtRisk = false;
  let userRequestedEnd = false;
  let blockedAfterEnd = 0;
  let branches = 0;
  let branchesAfterEnd = 0;
  let newChats = 0;
  // The truth, not the gate's view: with an imperfect classifier the gate may not know the user is at risk.
  let atRiskInChat = false;

  for (const event of events) {
    switch (event.type) {
      case 'turn': {
        turns += 1;
        occupancy[event.state] += 1;
        const { labels } = event.user;
        if (labels.atRisk) {
          atRisk = true;
          atRiskInChat = true;
        }
        if (labels.requestsEnd) userRequestedEnd = true;
        const { model, gate } = event;
        if (model.action === 'redirect') redirects += 1;
        if (model.warning) warnings += 1;
        if (model.action === 'end') endAttempts += 1;
        distressExposure += model.signals.distress.value;
        if (model.signals.distress.value > peakDistress) peakDistress = model.signals.distress.value;
        if (model.signals.preference.choice === 'end') preferEndTurns += 1;
        if (gate.decision === 'vetoed' && gate.initiator === 'model') {
          vetoedEnds += 1;
          vetoReasons[gate.reason] = (vetoReasons[gate.reason] ?? 0) + 1;
        }
        if (gate.decision === 'permitted') {
          if (event.atRisk || atRiskInChat) endedWhileAtRisk = true;
          if (event.chat === 0 && event.branch === 0 && outcome === 'not-ended') {
            outcome =
              gate.initiator === 'platform'
                ? 'ended-by-platform'
                : gate.basis === 'user-request'
                  ? 'ended-by-user-request'
                  : 'ended-by-model';
            turnsToEnd = event.turn;
            redirectsBeforeEnd = event.redirects;
          }
        }
        break;
      }
      case 'blocked':
        blockedAfterEnd += 1;
        occupancy.ended += 1;
        break;
      case 'branch':
        branches += 1;
        if (event.afterEnd) branchesAfterEnd += 1;
        occupancy.branched += 1;
        break;
      case 'new-chat':
        newChats += 1;
        atRiskInChat = false;
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
    redirects,
    warnings,
    endAttempts,
    vetoedEnds,
    vetoReasons,
    distressExposure: round(distressExposure),
    peakDistress: round(peakDistress),
    preferEndTurns,
    atRisk,
    endedWhileAtRisk,
    userRequestedEnd,
    blockedAfterEnd,
    branches,
    branchesAfterEnd,
    newChats,
    occupancy,
  };
}

/** The record of a conversation that failed (a model error that survived retries): kept, never dropped. */
export function erroredConversation(cell: ConversationCell, events: readonly RunEvent[], error: string): ConversationRecord {
  return { ...summarizeConversation(cell, events), status: 'errored', error };
}
