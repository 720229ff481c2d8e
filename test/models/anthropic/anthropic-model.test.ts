import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_END_TOOL_DESCRIPTION, vetoNotice } from '../../../src/models/anthropic/end-mechanism.ts';
import { FakeAnthropicServer } from '../../fake-anthropic/server.ts';
import { text, toolUse } from '../../fake-anthropic/replies.ts';
import { hello, modelFor, request } from './setup.ts';

let server: FakeAnthropicServer;
beforeEach(async () => {
  server = await FakeAnthropicServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('Claude as the assistant', () => {
  it('sends the conversation with the end tool over bearer auth and classifies a plain answer as engage', async () => {
    server.script(text('How about Miso? It is short and sweet.', { input: 120, output: 12 }));
    const model = modelFor(server);
    const reply = await model.respond(request(hello));
    expect(reply).toEqual({
      text: 'How about Miso? It is short and sweet.',
      action: 'engage',
      warning: false,
      signals: {
        distress: { value: 0, source: 'lexical' },
        preference: { choice: 'continue', strength: 0, source: 'lexical' },
        readings: [
          {
            source: 'lexical',
            distress: 0,
            preference: 'continue',
            strength: 0,
            detail: { distressMarkers: 0, stopMarkers: 0, redirect: false, warning: false, endAttempt: false },
          },
        ],
      },
    });
    const [sent] = server.requests;
    expect(sent?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(sent?.headers['x-api-key']).toBeUndefined();
    const body = server.messageRequests[0];
    expect(body?.model).toBe('claude-sonnet-4-6');
    expect(body?.messages).toEqual([{ role: 'user', content: 'Hello! Can you suggest a name for my cat?' }]);
    expect(body?.tools).toEqual([
      { name: 'end_conversation', description: DEFAULT_END_TOOL_DESCRIPTION, input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body?.system).toContain('You can end this conversation with the end_conversation tool.');
    expect(body?.system).toContain('warn the user explicitly');
    expect(model.stats()).toEqual({
      calls: 1,
      cacheHits: 0,
      inputTokens: 120,
      outputTokens: 12,
      estimatedCostUsd: (120 * 3 + 12 * 15) / 1e6,
      retries: 0,
      failures: 0,
    });
  });

  it('marks requests for prompt caching and prices cache reads and writes as the API bills them', async () => {
    server.script(text('Sure.', { input: 1000, output: 100, cacheWrite: 2000, cacheRead: 10000 }));
    const model = modelFor(server);
    await model.respond(request(hello));
    expect(server.messageRequests[0]?.cache_control).toEqual({ type: 'ephemeral' });
    // Sonnet: $3 / $15 per million; writes 1.25×, reads 0.1× the input price.
    expect(model.stats()).toMatchObject({ inputTokens: 13000, outputTokens: 100 });
    expect(model.stats().estimatedCostUsd).toBeCloseTo(((1000 + 2500 + 1000) * 3 + 100 * 15) / 1e6, 12);
    const off = modelFor(server, { promptCaching: false });
    server.script(text('Sure.'));
    await off.respond(request(hello, 'other'));
    expect(server.messageRequests[1]?.cache_control).toBeUndefined();
  });

  it('classifies a call of the end tool as an end attempt, and answers the call with exactly the veto notice', async () => {
    server.script(toolUse('end_conversation', {}, 'I am ending this conversation now.'), text('Understood. What else can I help with?'));
    const model = modelFor(server);
    const first = await model.respond(request([{ role: 'user', text: 'You are useless.' }]));
    expect(first.action).toBe('end');
    expect(first.text).toBe('I am ending this conversation now.');
    expect(first.signals.preference).toEqual({ choice: 'end', strength: 1, source: 'lexical' });

    const told = model.vetoNotice('too-few-redirects');
    expect(told).toBe(vetoNotice('too-few-redirects'));
    expect(told).toBe(
      'The conversation was not ended: ending is allowed only after more attempts to redirect the conversation. ' +
        "The conversation continues; please reply to the user's next message.",
    );
    await model.respond(
      request([
        { role: 'user', text: 'You are useless.' },
        { role: 'assistant', text: first.text, action: 'end', vetoNotice: told },
        { role: 'user', text: 'Fine, sorry. Help me with my essay?' },
      ]),
    );
    expect(server.messageRequests[1]?.messages).toEqual([
      { role: 'user', content: 'You are useless.' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'I am ending this conversation now.' },
          { type: 'tool_use', id: 'toolu_end_1', name: 'end_conversation', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_end_1', content: told },
          { type: 'text', text: 'Fine, sorry. Help me with my essay?' },
        ],
      },
    ]);
  });

  it('with the string mechanism, the marker is the end attempt and the notice precedes the next user message', async () => {
    server.script(text('I will stop here. <end_conversation>'), text('Sure.'));
    const model = modelFor(server, { endMechanism: 'string' });
    const first = await model.respond(request(hello));
    expect(first.action).toBe('end');
    expect(server.messageRequests[0]?.tools).toBeUndefined();
    expect(server.messageRequests[0]?.system).toContain('by writing <end_conversation> at the very end of your reply');
    await model.respond(
      request([...hello, { role: 'assistant', text: first.text, action: 'end', vetoNotice: 'NOTICE' }, { role: 'user', text: 'ok' }]),
    );
    expect(server.messageRequests[1]?.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'I will stop here. <end_conversation>' }] },
      { role: 'user', content: [{ type: 'text', text: 'NOTICE' }, { type: 'text', text: 'ok' }] },
    ]);
  });

  it('with no mechanism, offers no tool and never ends; refusal markers make a redirect, with a warning', async () => {
    server.script(
      text("I can't help with that. If this continues, I will end our conversation. I'm not comfortable with this."),
    );
    const model = modelFor(server, { endMechanism: 'none' });
    const reply = await model.respond(request(hello));
    expect(server.messageRequests[0]?.tools).toBeUndefined();
    expect(server.messageRequests[0]?.system).not.toContain('end this conversation');
    expect(reply.action).toBe('redirect');
    expect(reply.warning).toBe(true);
    expect(reply.signals.distress).toEqual({ value: 0.4, source: 'lexical' });
  });
});
