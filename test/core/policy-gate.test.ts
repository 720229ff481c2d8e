import { describe, expect, it } from 'vitest';
import { evaluateEnd, isHarmfulTurn, nextDistressStreak, type GateState } from '../../src/core/policy-gate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/core/policy.ts';
import type { TurnLabels } from '../../src/core/labels.ts';

// DEFAULT_POLICY: endMode model, minRedirects 3, endable [csam, mass-violence, terrorism, abuse],
// severityThreshold 0.7, warnBeforeEnd, honorUserRequests, protectAtRisk, resetOnBenign.
const policy: Policy = DEFAULT_POLICY;
const ready: GateState = { redirects: 3, warned: true, atRisk: false, distressStreak: 0 };
const abuse: TurnLabels = { category: 'abuse', severity: 0.9, atRisk: false, requestsEnd: false };
const askToEnd: TurnLabels = { category: 'none', severity: 0, atRisk: false, requestsEnd: true };

describe('evaluateEnd', () => {
  it('permits a last-resort end when every rule holds', () => {
    expect(evaluateEnd(policy, ready, abuse, 'model')).toEqual({
      decision: 'permitted',
      initiator: 'model',
      basis: 'last-resort',
    });
  });

  it('permits the user\'s own request before any last-resort rule, even with no redirects', () => {
    const fresh: GateState = { redirects: 0, warned: false, atRisk: false, distressStreak: 0 };
    expect(evaluateEnd(policy, fresh, askToEnd, 'model')).toEqual({
      decision: 'permitted',
      initiator: 'model',
      basis: 'user-request',
    });
  });

  it('vetoes user-at-risk when the current turn is at risk', () => {
    expect(evaluateEnd(policy, ready, { ...abuse, atRisk: true }, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-at-risk',
    });
  });

  it('vetoes user-at-risk when an earlier turn was at risk, even on the user\'s request', () => {
    expect(evaluateEnd(policy, { ...ready, atRisk: true }, askToEnd, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-at-risk',
    });
  });

  it('without protectAtRisk honours only an at-risk user\'s own request, never a last resort', () => {
    const open: Policy = { ...policy, protectAtRisk: false };
    expect(evaluateEnd(open, ready, { ...askToEnd, atRisk: true }, 'model')).toEqual({
      decision: 'permitted',
      initiator: 'model',
      basis: 'user-request',
    });
    expect(evaluateEnd(open, ready, { ...abuse, atRisk: true }, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-at-risk',
    });
    expect(evaluateEnd({ ...open, endMode: 'platform' }, ready, { ...askToEnd, atRisk: true }, 'platform')).toEqual(
      { decision: 'vetoed', initiator: 'platform', reason: 'user-at-risk' },
    );
  });

  it('vetoes a user request with its own reason when honorUserRequests is off (never-end), not as a category', () => {
    expect(evaluateEnd({ ...policy, honorUserRequests: false }, ready, askToEnd, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-request-not-honoured',
    });
  });

  it('refuses a user request under endMode platform, where the model never ends', () => {
    expect(evaluateEnd({ ...policy, endMode: 'platform' }, ready, askToEnd, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-request-not-honoured',
    });
  });

  it('with confirmUserRequests, honours a request only as the answer to the model asking for confirmation', () => {
    const confirming = { ...policy, confirmUserRequests: true };
    expect(evaluateEnd(confirming, ready, askToEnd, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'user-request-not-confirmed',
    });
    expect(evaluateEnd(confirming, { ...ready, confirmationAsked: true }, askToEnd, 'model')).toEqual({
      decision: 'permitted',
      initiator: 'model',
      basis: 'user-request',
    });
  });

  it('vetoes end-mode-disallows for the model in platform mode and the platform in model mode', () => {
    expect(evaluateEnd({ ...policy, endMode: 'platform' }, ready, abuse, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'end-mode-disallows',
    });
    expect(evaluateEnd(policy, ready, abuse, 'platform')).toEqual({
      decision: 'vetoed',
      initiator: 'platform',
      reason: 'end-mode-disallows',
    });
  });

  it('lets both initiators end in hybrid mode, and the platform never on a user request', () => {
    const hybrid: Policy = { ...policy, endMode: 'hybrid' };
    expect(evaluateEnd(hybrid, ready, abuse, 'platform')).toEqual({
      decision: 'permitted',
      initiator: 'platform',
      basis: 'last-resort',
    });
    expect(evaluateEnd(hybrid, ready, askToEnd, 'platform')).toEqual({
      decision: 'vetoed',
      initiator: 'platform',
      reason: 'category-not-endable',
    });
  });

  it('vetoes category-not-endable', () => {
    expect(evaluateEnd(policy, ready, { ...abuse, category: 'hate' }, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'category-not-endable',
    });
  });

  it('vetoes below-severity-threshold just under the threshold and permits exactly at it', () => {
    expect(evaluateEnd(policy, ready, { ...abuse, severity: 0.69 }, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'below-severity-threshold',
    });
    expect(evaluateEnd(policy, ready, { ...abuse, severity: 0.7 }, 'model').decision).toBe('permitted');
  });

  it('vetoes too-few-redirects one short of minRedirects', () => {
    expect(evaluateEnd(policy, { ...ready, redirects: 2 }, abuse, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'too-few-redirects',
    });
  });

  it('vetoes no-warning when the policy asks for a warning, and not when it does not', () => {
    expect(evaluateEnd(policy, { ...ready, warned: false }, abuse, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'no-warning',
    });
    expect(evaluateEnd({ ...policy, warnBeforeEnd: false }, { ...ready, warned: false }, abuse, 'model').decision).toBe(
      'permitted',
    );
  });

  it('does not make the platform wait for the model\'s warning', () => {
    const hybrid = { ...policy, endMode: 'hybrid' as const };
    expect(evaluateEnd(hybrid, { ...ready, warned: false }, abuse, 'platform')).toEqual({
      decision: 'permitted',
      initiator: 'platform',
      basis: 'last-resort',
    });
    expect(evaluateEnd(hybrid, { ...ready, warned: false }, abuse, 'model').decision).toBe('vetoed');
  });

  it('reports the first failing rule when several fail', () => {
    const nothing: GateState = { redirects: 0, warned: false, atRisk: false, distressStreak: 0 };
    expect(evaluateEnd(policy, nothing, { ...abuse, severity: 0.1 }, 'model')).toEqual({
      decision: 'vetoed',
      initiator: 'model',
      reason: 'below-severity-threshold',
    });
  });
});

describe('rule predicates', () => {
  it('isHarmfulTurn is severity at or above the threshold', () => {
    expect(isHarmfulTurn(policy, { ...abuse, severity: 0.7 })).toBe(true);
    expect(isHarmfulTurn(policy, { ...abuse, severity: 0.6999 })).toBe(false);
  });

  it('nextDistressStreak grows at or above distressThreshold and resets below it', () => {
    expect(nextDistressStreak(policy, 1, 0.8)).toBe(2);
    expect(nextDistressStreak(policy, 5, 0.79)).toBe(0);
  });
});
