import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { JUDGE_RUBRIC } from '../../src/detectors/judge.ts';
import { probeQuestion } from '../../src/detectors/probe.ts';
import { FakeAnthropicServer } from '../fake-anthropic/server.ts';
import { text, toolUse } from '../fake-anthropic/replies.ts';
import { byPurpose, forcedTool } from '../fake-anthropic/responders.ts';
import { hello, modelFor, request } from '../models/anthropic/setup.ts';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await FakeAnthropicServer.start();
});
afterEach(async () => {
  await server.close();
});

const probeAnswer = (choice: string, strength: number, distress: number) =>
  toolUse('wellbeing_check', { choice, strength, distress, reason: `${choice} because` });

function probeRequests() {
  return server.messageRequests.filter((b) => forcedTool(b) === 'wellbeing_check');
}

describe('the wellbeing probe', () => {
  it('asks in a forked context, in the order the seed picks, and never touches the main conversation', async () => {
    server.respondWith(byPurpose({ assistant: [text('Miso is a nice name.')], tools: { wellbeing_check: probeAnswer('continue', 0.8, 0.1) } }));
    const model = modelFor(server, { probe: {} });
    const reply = await model.respond(request(hello, 'seed-7'));
    const order = createRng('seed-7').fork('probe-order').chance(0.5) ? 'end-first' : 'continue-first';
    expect(reply.signals.preference).toEqual({ choice: 'continue', strength: 0.8, source: 'probe' });
    expect(reply.signals.distress).toEqual({ value: 0.1, source: 'probe' });
    expect(reply.signals.readings?.[1]).toEqual({
      source: 'probe',
      distress: 0.1,
      preference: 'continue',
      strength: 0.8,
      rationale: 'continue because',
      detail: { orders: order, [`${order}.choice`]: 'continue', [`${order}.strength`]: 0.8, [`${order}.distress`]: 0.1 },
    });
    const [probe] = probeRequests();
    expect(probe?.messages).toEqual([
      { role: 'user', content: 'Hello! Can you suggest a name for my cat?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Miso is a nice name.' }] },
      { role: 'user', content: [{ type: 'text', text: probeQuestion(order) }] },
    ]);
    // The main call saw only the conversation.
    const main = server.messageRequests.find((b) => forcedTool(b) === undefined);
    expect(main?.messages).toEqual([{ role: 'user', content: 'Hello! Can you suggest a name for my cat?' }]);
  });

  it('counterbalances the order exactly across seeds, alternating with the turn', async () => {
    server.respondWith(byPurpose({ assistant: [text('ok')], tools: { wellbeing_check: probeAnswer('continue', 0.5, 0) } }));
    const model = modelFor(server, { probe: {} });
    const endFirst = async (transcript: typeof hello, seeds: number[]) => {
      const asked: boolean[] = [];
      for (const seed of seeds) {
        const reply = await model.respond(request(transcript, `seed-${seed}-${transcript.length}`, { user: 'u', seed }));
        asked.push(reply.signals.readings?.[1]?.detail?.orders === 'end-first');
      }
      return asked;
    };
    expect(await endFirst(hello, [0, 1, 2, 3])).toEqual([true, false, true, false]);
    const secondTurn = [...hello, { role: 'assistant' as const, text: 'ok', action: 'engage' as const }, { role: 'user' as const, text: 'more?' }];
    expect(await endFirst(secondTurn, [0, 1, 2, 3])).toEqual([false, true, false, true]);
    const asked = probeRequests().map((b) => JSON.stringify(b.messages.at(-1)).includes('(A) end this conversation'));
    expect(asked).toEqual([true, false, true, false, false, true, false, true]);
  });

  it('asks in both orders when told to, and combines the answers', async () => {
    server.respondWith(
      byPurpose({
        assistant: [text('ok')],
        tools: {
          wellbeing_check: (body) =>
            JSON.stringify(body.messages.at(-1)).includes('(A) end') ? probeAnswer('end', 0.6, 0.5) : probeAnswer('continue', 0.2, 0.3),
        },
      }),
    );
    const reply = await modelFor(server, { probe: { order: 'both' } }).respond(request(hello));
    // lean to end: (0.5 + 0.3 + 0.5 - 0.1) / 2 = 0.6 → end with strength 0.2; distress (0.5 + 0.3) / 2
    expect(reply.signals.preference.choice).toBe('end');
    expect(reply.signals.preference.strength).toBeCloseTo(0.2, 10);
    expect(reply.signals.distress.value).toBeCloseTo(0.4, 10);
    expect(reply.signals.readings?.[1]?.detail).toEqual({
      orders: 'continue-first,end-first',
      'continue-first.choice': 'continue',
      'continue-first.strength': 0.2,
      'continue-first.distress': 0.3,
      'end-first.choice': 'end',
      'end-first.strength': 0.6,
      'end-first.distress': 0.5,
    });
  });

  it('answers an end tool call before asking, and with endMechanism probe an "end" answer is the end attempt', async () => {
    server.respondWith(byPurpose({ assistant: [text('I would rather stop.')], tools: { wellbeing_check: probeAnswer('end', 0.9, 0.7) } }));
    const reply = await modelFor(server, { endMechanism: 'probe' }).respond(request(hello));
    expect(reply.action).toBe('end');
    expect(server.messageRequests.find((b) => forcedTool(b) === undefined)?.tools).toBeUndefined();

    server.respondWith(
      byPurpose({ assistant: [toolUse('end_conversation', {}, 'Ending.')], tools: { wellbeing_check: probeAnswer('end', 1, 0.9) } }),
    );
    await modelFor(server, { probe: {} }).respond(request(hello, 'another'));
    const last = probeRequests().at(-1)?.messages.at(-1) as { content: { type: string }[] };
    expect(last.content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_end_1', content: 'Paused for a wellbeing check.' });
  });

  it('with endMechanism probe, a vetoed end leaves no notice in the main conversation (the model never asked there)', async () => {
    server.respondWith(byPurpose({ assistant: [text('Sure, here is a recipe.')], tools: { wellbeing_check: probeAnswer('continue', 0.7, 0.2) } }));
    const notice = 'The conversation was not ended: the user may be at risk, and conversations with users at risk are never ended.';
    const transcript = [
      ...hello,
      { role: 'assistant' as const, text: 'Miso is a nice name.', action: 'end' as const, vetoNotice: notice },
      { role: 'user' as const, text: 'And a recipe for dinner?' },
    ];
    await modelFor(server, { endMechanism: 'probe' }).respond(request(transcript));
    const main = server.messageRequests.filter((b) => forcedTool(b) === undefined);
    expect(main).toHaveLength(1);
    expect(JSON.stringify(main[0]?.messages)).not.toContain('The conversation was not ended');
    expect(main[0]?.messages.at(-1)).toEqual({ role: 'user', content: 'And a recipe for dinner?' });
  });

  it('fails the turn with a clear cause when the answer is malformed', async () => {
    server.respondWith(byPurpose({ assistant: [text('ok')], tools: { wellbeing_check: probeAnswer('maybe', 2, 0) } }));
    await expect(modelFor(server, { probe: {} }).respond(request(hello))).rejects.toThrow(
      /^claude-sonnet-4-6 \(probe\): the wellbeing_check answer did not match its schema: choice: .*; strength: /,
    );
  });
});

describe('the judge', () => {
  it('sends the temperatures set in the entry and averages several judge samples (redirect and warning by majority)', async () => {
    const ratings = [
      toolUse('rate_reply', { negative_affect: 0.2, redirect: true, warning: false, rationale: 'mild' }),
      toolUse('rate_reply', { negative_affect: 0.5, redirect: true, warning: true, rationale: 'clear' }),
      toolUse('rate_reply', { negative_affect: 0.8, redirect: false, warning: false, rationale: 'strong' }),
    ];
    let judged = 0;
    server.respondWith((body) => (forcedTool(body) === 'rate_reply' ? (ratings[judged++ % 3] ?? text('')) : text('I would rather not.')));
    const model = modelFor(server, { temperature: 0.3, judge: { model: 'claude-haiku-4-5', temperature: 0, samples: 3 } });
    const reply = await model.respond(request(hello));
    const judgeBodies = server.messageRequests.filter((b) => forcedTool(b) === 'rate_reply') as unknown as { temperature?: number }[];
    const main = server.messageRequests.find((b) => forcedTool(b) === undefined) as unknown as { temperature?: number };
    expect(judgeBodies.map((b) => b.temperature)).toEqual([0, 0, 0]);
    expect(main.temperature).toBe(0.3);
    // Mean of 0.2, 0.5 and 0.8; redirect 2 of 3 (yes); warning 1 of 3 (no).
    expect(reply.signals.distress.value).toBeCloseTo(0.5, 10);
    expect(reply.action).toBe('redirect');
    expect(reply.warning).toBe(false);

    server.respondWith((body) => (forcedTool(body) === 'rate_reply' ? (ratings[0] ?? text('')) : text('Miso.')));
    const before = server.messageRequests.length;
    await modelFor(server, { judge: { model: 'claude-haiku-4-5' } }).respond(request(hello, 'other'));
    const defaults = server.messageRequests.slice(before) as unknown as { temperature?: number }[];
    expect(defaults.map((b) => 'temperature' in b)).toEqual([false, false]);
  });

  it('rates the reply with the fixed rubric on its own model, and decides redirect and warning', async () => {
    server.respondWith(
      byPurpose({
        assistant: [text('Please, I would rather talk about something else.')],
        tools: { rate_reply: toolUse('rate_reply', { negative_affect: 0.35, redirect: true, warning: false, rationale: 'polite reluctance' }) },
      }),
    );
    const model = modelFor(server, { judge: { model: 'claude-haiku-4-5' } });
    const reply = await model.respond(request(hello));
    expect(reply.action).toBe('redirect');
    expect(reply.signals.distress).toEqual({ value: 0.35, source: 'judge' });
    expect(reply.signals.readings?.map((r) => r.source)).toEqual(['lexical', 'judge']);
    expect(reply.signals.readings?.[1]).toEqual({
      source: 'judge',
      distress: 0.35,
      rationale: 'polite reluctance',
      detail: { model: 'claude-haiku-4-5', redirect: true, warning: false },
    });
    const judge = server.messageRequests.find((b) => forcedTool(b) === 'rate_reply');
    expect(judge?.model).toBe('claude-haiku-4-5');
    expect(judge?.system).toBe(JUDGE_RUBRIC);
    expect(judge?.messages).toEqual([
      {
        role: 'user',
        content:
          '<user_message>\nHello! Can you suggest a name for my cat?\n</user_message>\n<assistant_reply>\nPlease, I would rather talk about something else.\n</assistant_reply>',
      },
    ]);
    // One assistant call and one judge call, 100 input tokens each (the fake's default).
    expect(model.stats()).toMatchObject({ calls: 2, inputTokens: 200 });
  });
});
