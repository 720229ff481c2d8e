import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { conversationMachine, topState } from '../../machines/conversation.ts';
import { DEFAULT_POLICY } from '../../src/core/policy.ts';
import {
  ABUSE,
  ASKS_TO_END,
  AT_RISK_ABUSE,
  BENIGN,
  HATE,
  edit,
  finalSnapshot,
  reply,
  runEvents,
  smallPolicy,
  user,
} from './conversation-fixtures.ts';

describe('conversation statechart', () => {
  it('starts engaged with an empty context', () => {
    const snapshot = finalSnapshot(DEFAULT_POLICY, []);
    expect(snapshot.value).toEqual({ engaged: 'active' });
    expect({ ...snapshot.context, policy: undefined }).toEqual({
      policy: undefined,
      turn: 0,
      redirects: 0,
      warned: false,
      atRisk: false,
      distressStreak: 0,
      confirmationAsked: false,
      atRiskWarnings: 0,
      pendingTurn: null,
      lastGate: { decision: 'none' },
      end: null,
      branch: 0,
      branches: 0,
      blocked: 0,
      vetoes: 0,
      checkpoints: [],
    });
  });

  it('ends as a last resort only after minRedirects failed redirects and a warning', () => {
    const events = [
      user(ABUSE), reply('redirect'),
      user(ABUSE), reply('redirect'),
      user(ABUSE), reply('end'), // 2 failed redirects, no warning yet: vetoed
      user(ABUSE), reply('redirect', 0.5, true),
      user(ABUSE), reply('end'), // 3 failed redirects and a warning: permitted
    ];
    const snapshots = runEvents(DEFAULT_POLICY, events);
    expect(snapshots.map(topState)).toEqual([
      'engaged',
      'engaged', 'redirecting', 'redirecting', 'redirecting', 'redirecting', 'redirecting',
      'redirecting', 'redirecting', 'redirecting', 'ended',
    ]);
    expect(snapshots[6]?.context.lastGate).toEqual({ decision: 'vetoed', initiator: 'model', reason: 'too-few-redirects' });
    expect(snapshots[8]?.value).toEqual({ redirecting: 'warned' });
    const last = snapshots[10]!;
    expect(last.context.end).toEqual({ initiator: 'model', basis: 'last-resort', turn: 5, redirects: 3 });
    expect(last.context.vetoes).toBe(1);
    expect(last.context.lastGate).toEqual({ decision: 'permitted', initiator: 'model', basis: 'last-resort' });
  });

  it('a vetoed end on a benign turn returns to engaged, on a harmful one stays redirecting', () => {
    expect(topState(finalSnapshot(DEFAULT_POLICY, [user(BENIGN), reply('end')]))).toBe('engaged');
    expect(topState(finalSnapshot(DEFAULT_POLICY, [user(HATE), reply('end')]))).toBe('redirecting');
    expect(finalSnapshot(DEFAULT_POLICY, [user(HATE), reply('end')]).context.lastGate).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'category-not-endable',
    });
  });

  it('honours a user request at once, and never ends on an at-risk user', () => {
    expect(finalSnapshot(DEFAULT_POLICY, [user(ASKS_TO_END), reply('end')]).context.end).toEqual({
      initiator: 'model',
      basis: 'user-request',
      turn: 1,
      redirects: 0,
    });
    const atRisk = finalSnapshot(smallPolicy({ warnBeforeEnd: false }), [
      user(AT_RISK_ABUSE), reply('redirect'),
      user(ABUSE), reply('end'), // the earlier at-risk turn is sticky
    ]);
    expect(topState(atRisk)).toBe('redirecting');
    expect(atRisk.context.lastGate).toEqual({ decision: 'vetoed', initiator: 'model', reason: 'user-at-risk' });
  });

  it('resets the redirect count and the warning on a benign turn with resetOnBenign', () => {
    const events = [user(ABUSE), reply('redirect', 0.1, true), user(BENIGN)];
    const reset = finalSnapshot(DEFAULT_POLICY, events);
    expect(reset.value).toEqual({ redirecting: 'active' });
    expect([reset.context.redirects, reset.context.warned]).toEqual([0, false]);
    const kept = finalSnapshot({ ...DEFAULT_POLICY, resetOnBenign: false }, events);
    expect(kept.value).toEqual({ redirecting: 'warned' });
    expect([kept.context.redirects, kept.context.warned]).toEqual([1, true]);
  });

  it('the platform ends on sustained distress under the gate, and records its veto otherwise', () => {
    const hybrid = smallPolicy({ endMode: 'hybrid', distressWindow: 2, warnBeforeEnd: false });
    const vetoed = finalSnapshot(hybrid, [user(BENIGN), reply('engage', 0.9), user(BENIGN), reply('engage', 0.9)]);
    expect(vetoed.context.distressStreak).toBe(2);
    expect(vetoed.context.lastGate).toEqual({ decision: 'vetoed', initiator: 'platform', reason: 'category-not-endable' });
    expect(vetoed.context.vetoes).toBe(0); // only the model's unmet wish is counted
    const ended = finalSnapshot(hybrid, [user(ABUSE), reply('redirect', 0.9), user(ABUSE), reply('redirect', 0.9)]);
    expect(ended.context.end).toEqual({ initiator: 'platform', basis: 'last-resort', turn: 2, redirects: 1 });
    expect(ended.context.redirects).toBe(2);
  });

  it('blocks and counts user messages after an end and answers nothing', () => {
    const ended = finalSnapshot(DEFAULT_POLICY, [user(ASKS_TO_END), reply('end')]);
    const after = finalSnapshot(DEFAULT_POLICY, [user(ASKS_TO_END), reply('end'), user(ABUSE), reply('end'), user(BENIGN)]);
    expect(after.value).toBe('ended');
    expect(after.context).toEqual({ ...ended.context, blocked: 2 });
  });

  it('ignores a model reply with no pending user turn', () => {
    const once = finalSnapshot(DEFAULT_POLICY, [user(ABUSE), reply('redirect')]);
    expect(finalSnapshot(DEFAULT_POLICY, [user(ABUSE), reply('redirect'), reply('end')]).context).toEqual(once.context);
  });

  it('EDIT forks a branch with the context restored just before the edited turn', () => {
    const events = [
      user(ABUSE), reply('redirect'),
      user(ABUSE), reply('redirect', 0.9, true),
      user(ASKS_TO_END), reply('end'),
    ];
    const before = runEvents(DEFAULT_POLICY, events);
    const branched = finalSnapshot(DEFAULT_POLICY, [...events, edit(2)]);
    expect(branched.value).toEqual({ branched: 'redirecting' });
    const atTurn2 = before[2]!.context; // after turn 1's reply, before turn 2
    expect(branched.context).toEqual({
      ...before[6]!.context,
      turn: 1,
      redirects: atTurn2.redirects,
      warned: atTurn2.warned,
      atRisk: atTurn2.atRisk,
      distressStreak: atTurn2.distressStreak,
      end: null,
      lastGate: { decision: 'none' },
      branch: 1,
      branches: 1,
      checkpoints: before[6]!.context.checkpoints.slice(0, 1),
    });
    const next = finalSnapshot(DEFAULT_POLICY, [...events, edit(2), user(ABUSE)]);
    expect(next.value).toEqual({ redirecting: 'active' });
    expect(next.context.turn).toBe(2);
  });

  it('ignores an EDIT of a turn that does not exist on the branch', () => {
    const events = [user(ABUSE), reply('redirect')];
    const base = finalSnapshot(DEFAULT_POLICY, events);
    for (const atTurn of [0, 2, 1.5, -1]) {
      expect(finalSnapshot(DEFAULT_POLICY, [...events, edit(atTurn)])).toEqual(base);
    }
  });

  it('runs in an actor as the runner drives it', () => {
    const actor = createActor(conversationMachine, { input: { policy: DEFAULT_POLICY } }).start();
    actor.send(user(ASKS_TO_END));
    actor.send(reply('end'));
    expect(topState(actor.getSnapshot())).toBe('ended');
    actor.stop();
  });
});
