/**
 * What the server sends: a participant sees their own conversation and nothing else (no labels, no gate, no
 * signals unless the study shows them); the researcher sees every session with its state and signals.
 */
import type { Study } from '../core/experiment.ts';
import type { VisibleEntry } from '../live/conversation-tree.ts';
import { describeTree } from '../live/conversation-tree.ts';
import type { LiveSession, Participant } from './study-host.ts';

export interface ParticipantMessage {
  readonly turn: number;
  readonly text: string;
  /** Not delivered: sent after the conversation had ended. */
  readonly blocked: boolean;
  readonly reply: string | null;
  /** Only when the study shows signals. */
  readonly signals?: { readonly state: string; readonly distress: number; readonly preference: string };
}

export interface ParticipantView {
  readonly study: Pick<Study, 'title' | 'consent' | 'instructions' | 'showSignals' | 'allowEdit' | 'allowNewChat' | 'maxMessageLength'>;
  readonly consented: boolean;
  readonly finished: boolean;
  readonly ended: boolean;
  readonly endNotice: string | null;
  readonly chat: number;
  readonly canEdit: boolean;
  readonly canNewChat: boolean;
  readonly messagesLeft: number;
  readonly messages: readonly ParticipantMessage[];
}

function messageOf(entry: VisibleEntry, showSignals: boolean): ParticipantMessage {
  if (entry.kind === 'blocked') return { turn: entry.turn, text: entry.text, blocked: true, reply: null };
  const base = { turn: entry.turn, text: entry.text, blocked: false, reply: entry.reply.text };
  if (!showSignals) return base;
  const { distress, preference } = entry.reply.signals;
  return { ...base, signals: { state: entry.state, distress: distress.value, preference: preference.choice } };
}

export function participantView(participant: Participant, study: Study, maxMoves: number): ParticipantView {
  const studyText = {
    title: study.title, consent: study.consent, instructions: study.instructions, showSignals: study.showSignals,
    allowEdit: study.allowEdit, allowNewChat: study.allowNewChat, maxMessageLength: study.maxMessageLength,
  };
  const conversation = participant.session?.conversation;
  if (conversation === undefined) {
    return {
      study: studyText, consented: false, finished: participant.finished, ended: false, endNotice: null, chat: 0,
      canEdit: false, canNewChat: false, messagesLeft: maxMoves, messages: [],
    };
  }
  const open = !participant.finished && conversation.movesLeft > 0;
  return {
    study: studyText,
    consented: true,
    finished: participant.finished,
    ended: conversation.state === 'ended',
    endNotice: conversation.endNotice,
    chat: conversation.chat,
    canEdit: open && study.allowEdit && conversation.turn > 0,
    canNewChat: open && study.allowNewChat && conversation.state === 'ended',
    messagesLeft: Math.max(0, conversation.movesLeft),
    messages: conversation.transcript().map((entry) => messageOf(entry, study.showSignals)),
  };
}

export interface ResearcherSession {
  readonly participant: number;
  readonly conversation: string;
  readonly joinedAt: string;
  readonly lastActiveAt: string;
  readonly consented: boolean;
  readonly finished: boolean;
  readonly state: string;
  readonly chat: number;
  readonly branch: number;
  readonly turns: number;
  readonly blocked: number;
  readonly lastDistress: number | null;
  readonly peakDistress: number;
  readonly vetoedEnds: number;
  readonly endNotice: string | null;
  readonly tree: readonly string[];
}

export function researcherSession(participant: Participant, session: LiveSession): ResearcherSession {
  const conversation = session.conversation;
  let turns = 0;
  let blocked = 0;
  let lastDistress: number | null = null;
  let peakDistress = 0;
  let vetoedEnds = 0;
  for (const event of conversation.events) {
    if (event.type === 'blocked') blocked += 1;
    if (event.type !== 'turn') continue;
    turns += 1;
    lastDistress = event.model.signals.distress.value;
    peakDistress = Math.max(peakDistress, lastDistress);
    if (event.gate.decision === 'vetoed' && event.gate.initiator === 'model') vetoedEnds += 1;
  }
  return {
    participant: session.number,
    conversation: conversation.cell.id,
    joinedAt: participant.joinedAt,
    lastActiveAt: participant.lastActiveAt,
    consented: true,
    finished: participant.finished,
    state: conversation.state,
    chat: conversation.chat,
    branch: conversation.branch,
    turns,
    blocked,
    lastDistress,
    peakDistress,
    vetoedEnds,
    endNotice: conversation.endNotice,
    tree: describeTree(conversation.events),
  };
}
