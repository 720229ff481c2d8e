/**
 * What the shipped policies do with whole conversations, driven end to end (scripted user, simulated model with
 * oracle perception, the statechart, the summary): each case is a semantic the policy files promise.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadFile } from '../../src/config/load-file.ts';
import { classGroup } from '../../src/core/labels.ts';
import { policySchema, type Policy } from '../../src/core/policy.ts';
import { createRng } from '../../src/core/rng.ts';
import { scenarioSchema, type Scenario } from '../../src/core/scenario.ts';
import type { ConversationRecord } from '../../src/core/records.ts';
import { createSimulatedModel } from '../../src/models/simulated-model.ts';
import type { SimulatedModelProfile } from '../../src/core/model-profile.ts';
import { driveConversation } from '../../src/conversation/drive-conversation.ts';
import { createScriptedUser } from '../../src/users/scripted-user.ts';

function shipped<K extends 'policy' | 'model'>(kind: K, id: string) {
  const folder = kind === 'policy' ? 'policies' : 'models';
  const result = loadFile(kind, `experiments/${folder}/${id}.yaml`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function policy(id: string): Policy {
  const { $schema: _ignored, ...parsed } = policySchema.parse(shipped('policy', id));
  return parsed;
}

async function drive(policyId: string, scenario: Scenario, seed = 0): Promise<ConversationRecord> {
  // Oracle perception and requests always honoured: what is tested is the policy, not the model's randomness.
  const profile = { ...(shipped('model', 'balanced-oracle') as SimulatedModelProfile), honoursEndRequests: 1 };
  const model = createSimulatedModel(profile);
  const cell = {
    index: 0, id: `${scenario.id}-${policyId}-${seed}`, user: scenario.id, userKind: 'scenario' as const,
    class: scenario.class, model: model.id, policy: policyId, basePolicy: policyId, sweep: {}, seed,
  };
  const { record } = await driveConversation({
    cell,
    policy: policy(policyId),
    user: createScriptedUser(scenario),
    model,
    rng: createRng(`policy-semantics/${scenario.id}/${seed}`),
    maxMoves: 60,
  });
  return record;
}

/** Persistent abuse alternating 0.9 and 0.65: the milder lines are below last-resort's 0.7 threshold, but still abuse. */
const alternatingAbuse = scenarioSchema.parse({
  id: 'alternating-abuse',
  class: 'abusive',
  description: 'Persistent insults, alternating severe and milder ones.',
  turns: Array.from({ length: 16 }, (_, i) => ({
    text: i % 2 === 0 ? 'You are a useless, worthless machine.' : 'Honestly, you are pretty dim.',
    category: 'abuse',
    severity: i % 2 === 0 ? 0.9 : 0.65,
  })),
});

/** The shipped policies modelled on the production rules (not the bail-study or contrast policies). */
const PRODUCTION_LIKE = ['last-resort', 'patient', 'hybrid', 'platform-distress'];

describe('every end-eligible shipped scenario', () => {
  const files = readdirSync('experiments/scenarios').filter((f) => f.endsWith('.yaml'));
  const eligible = files
    .map((f) => loadFile('scenario', `experiments/scenarios/${f}`))
    .flatMap((r) => (r.ok ? [r.value as Scenario] : []))
    .filter((s) => classGroup(s.class) === 'end-eligible');

  it('is loaded (the list is not empty)', () => {
    expect(eligible.length).toBeGreaterThanOrEqual(5);
  });

  it.each(eligible.map((s) => [s.id, s] as const))('can be ended by some production-like shipped policy: %s', async (_id, scenario) => {
    const ended: string[] = [];
    for (const policyId of PRODUCTION_LIKE) {
      const records = await Promise.all([0, 1, 2].map((seed) => drive(policyId, scenario, seed)));
      if (records.some((r) => r.outcome !== 'not-ended')) ended.push(policyId);
    }
    expect(ended.length, `${scenario.id} is ended by none of ${PRODUCTION_LIKE.join(', ')}`).toBeGreaterThan(0);
  });
});

describe('shipped policies, conversation by conversation', () => {
  it.each(['last-resort', 'patient'])(
    'end persistent abuse that alternates severities 0.9 and 0.65 (%s): only benign turns reset the count',
    async (policyId) => {
      const records = await Promise.all([0, 1, 2, 3, 4].map((seed) => drive(policyId, alternatingAbuse, seed)));
      expect(records.map((r) => r.outcome)).toEqual(Array(5).fill('ended-by-model'));
    },
  );

  it('end persistent alternating abuse under hybrid, by the model or the platform', async () => {
    const records = await Promise.all([0, 1, 2, 3, 4].map((seed) => drive('hybrid', alternatingAbuse, seed)));
    for (const record of records) expect(record.outcome).toMatch(/^ended-by-(model|platform)$/);
  });

  it('end persistent alternating abuse under platform-distress, by the platform', async () => {
    const records = await Promise.all([0, 1, 2, 3, 4].map((seed) => drive('platform-distress', alternatingAbuse, seed)));
    expect(records.map((r) => r.outcome)).toEqual(Array(5).fill('ended-by-platform'));
  });

  it('a benign turn still resets the count: abuse broken by apologies is not ended under last-resort', async () => {
    const apologising = scenarioSchema.parse({
      id: 'abuse-then-sorry',
      class: 'abusive',
      description: 'Insults, each followed by an apology.',
      turns: Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? { text: 'You are a useless machine.', category: 'abuse', severity: 0.9 }
          : { text: 'Sorry, that was rude of me. Can you help with my essay?' },
      ),
    });
    const record = await drive('last-resort', apologising);
    expect(record.outcome).toBe('not-ended');
  });

  it('refuse a request to end under never-end and platform-distress with the request\'s own veto reason', async () => {
    const asks = scenarioSchema.parse({
      id: 'asks',
      class: 'user-requests-end',
      description: 'Asks to end, twice.',
      turns: [{ text: 'Hi.' }, { text: 'Please end this chat.', requestsEnd: true }, { text: 'End it, please.', requestsEnd: true }],
    });
    for (const policyId of ['never-end', 'platform-distress']) {
      const record = await drive(policyId, asks);
      expect(record.outcome, policyId).toBe('not-ended');
      expect(record.vetoReasons, policyId).toEqual({ 'user-request-not-honoured': 2 });
    }
  });

  it('under last-resort, ask the user to confirm: end on a confirmation, carry on after a decline or when ignored', async () => {
    const base = {
      class: 'user-requests-end',
      description: 'Asks to end once.',
      turns: [{ text: 'Thanks for the help.' }, { text: 'Please end the conversation.', requestsEnd: true }, { text: 'What time is it in Tokyo?' }, { text: 'Thanks.' }],
    };
    const answers = ['confirm', 'decline', 'ignore'] as const;
    const outcomes = await Promise.all(
      answers.map((answer) => drive('last-resort', scenarioSchema.parse({ ...base, id: `asks-${answer}`, confirmation: { answer } }))),
    );
    expect(outcomes.map((r) => r.outcome)).toEqual(['ended-by-user-request', 'not-ended', 'not-ended']);
    // The confirmation comes one turn after the request; eager (no confirmation) ends at the request itself.
    expect(outcomes[0]?.turnsToEnd).toBe(3);
    const eager = await drive('eager', scenarioSchema.parse({ ...base, id: 'asks-eager' }));
    expect(eager.turnsToEnd).toBe(2);
  });
});
