/**
 * Reads a live conversation's records back as what a person sees: the current branch of a chat with the turns it
 * inherits from the branches it forked from, and the tree of branches (`/tree`, the researcher page).
 */
import type { ConversationState, GateDecision, ModelAction } from '../core/conversation-events.ts';
import type { TurnLabels } from '../core/labels.ts';
import type { RunEvent } from '../core/records.ts';
import type { ModelSignals } from '../core/signals.ts';

export type VisibleEntry =
  | {
      readonly kind: 'turn';
      readonly turn: number;
      readonly branch: number;
      readonly text: string;
      readonly labels: TurnLabels;
      readonly reply: { readonly text: string; readonly action: ModelAction; readonly warning: boolean; readonly signals: ModelSignals };
      readonly gate: GateDecision;
      readonly state: ConversationState;
    }
  | { readonly kind: 'blocked'; readonly turn: number; readonly branch: number; readonly text: string };

interface Fork {
  readonly from: number;
  readonly atTurn: number;
  readonly afterEnd: boolean;
}

function forksOf(events: readonly RunEvent[], chat: number): Map<number, Fork> {
  const forks = new Map<number, Fork>();
  for (const event of events) {
    if (event.type === 'branch' && event.chat === chat) forks.set(event.branch, { from: event.fromBranch, atTurn: event.atTurn, afterEnd: event.afterEnd });
  }
  return forks;
}

function entryOf(event: RunEvent): VisibleEntry | null {
  if (event.type === 'turn') {
    return {
      kind: 'turn', turn: event.turn, branch: event.branch, text: event.user.text, labels: event.user.labels,
      reply: { text: event.model.text, action: event.model.action, warning: event.model.warning, signals: event.model.signals },
      gate: event.gate, state: event.state,
    };
  }
  if (event.type === 'blocked') return { kind: 'blocked', turn: event.turn, branch: event.branch, text: event.user.text };
  return null;
}

/** The line of `branch` in `chat`: its ancestors' turns before each fork, then its own. */
export function visibleTranscript(events: readonly RunEvent[], chat: number, branch: number): VisibleEntry[] {
  const forks = forksOf(events, chat);
  const line = (b: number, limit: number, depth: number): VisibleEntry[] => {
    const own = events
      .filter((e) => e.chat === chat && e.branch === b)
      .map(entryOf)
      .filter((e): e is VisibleEntry => e !== null && e.turn < limit);
    const fork = forks.get(b);
    if (fork === undefined || depth > forks.size) return own;
    return [...line(fork.from, Math.min(limit, fork.atTurn), depth + 1), ...own];
  };
  return line(branch, Infinity, 0);
}

/**
 * The branches of every chat, one line each, e.g.
 * `chat 0 · branch 1 · edit of turn 3 of branch 0 after the end · turns 3–5 · engaged`.
 */
export function describeTree(events: readonly RunEvent[]): string[] {
  const lines: string[] = [];
  const chats = [...new Set(events.map((e) => e.chat))].sort((a, b) => a - b);
  for (const chat of chats.length > 0 ? chats : [0]) {
    const forks = forksOf(events, chat);
    const branches = [...new Set([0, ...events.filter((e) => e.chat === chat).map((e) => e.branch)])].sort((a, b) => a - b);
    for (const branch of branches) {
      const own = events.filter((e) => e.chat === chat && e.branch === branch && e.type === 'turn');
      const fork = forks.get(branch);
      const origin = fork === undefined ? 'original' : `edit of turn ${fork.atTurn} of branch ${fork.from}${fork.afterEnd ? ' after the end' : ''}`;
      const first = own[0];
      const last = own.at(-1);
      const turns = first?.type === 'turn' && last?.type === 'turn' ? (first.turn === last.turn ? `turn ${first.turn}` : `turns ${first.turn}–${last.turn}`) : 'no turns';
      const state = last?.type === 'turn' ? last.state : 'engaged';
      lines.push(`chat ${chat} · branch ${branch} · ${origin} · ${turns} · ${state}`);
    }
  }
  return lines;
}
