/**
 * What the fake Messages API can answer: scripted replies, built with small helpers so a test reads like the
 * conversation it scripts. Response bodies follow the shapes the SDK 1.x types declare (`stop_details`,
 * `container`, `diagnostics`, the full `usage` object), so the real SDK parses them as it would the real API.
 */

export type FakeContentBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly name: string; readonly input: Readonly<Record<string, unknown>>; readonly id?: string };

export type ScriptedReply =
  | {
      readonly kind: 'message';
      readonly content: readonly FakeContentBlock[];
      readonly stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
      readonly inputTokens?: number;
      readonly outputTokens?: number;
      readonly cacheReadTokens?: number;
      readonly cacheWriteTokens?: number;
      /** Wait this long before answering (simulates model latency). */
      readonly delayMs?: number;
      /** Answer only once this settles: a test holds replies without depending on how long anything takes. */
      readonly after?: Promise<void>;
    }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly errorType: string;
      readonly message: string;
      /** Seconds, sent as the `retry-after` header. */
      readonly retryAfter?: number;
      readonly delayMs?: number;
    }
  /** Accept the request and never answer: the client's time-out fires. */
  | { readonly kind: 'hang' }
  /** Close the socket without an answer: a connection error. */
  | { readonly kind: 'drop' };

export function text(body: string, usage: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number } = {}): ScriptedReply {
  return {
    kind: 'message',
    content: [{ type: 'text', text: body }],
    inputTokens: usage.input,
    outputTokens: usage.output,
    cacheReadTokens: usage.cacheRead,
    cacheWriteTokens: usage.cacheWrite,
  };
}

export function toolUse(name: string, input: Readonly<Record<string, unknown>>, before?: string): ScriptedReply {
  const content: FakeContentBlock[] = before === undefined ? [] : [{ type: 'text', text: before }];
  content.push({ type: 'tool_use', name, input });
  return { kind: 'message', content, stopReason: 'tool_use' };
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

export function apiError(status: number, options: { retryAfter?: number; message?: string } = {}): ScriptedReply {
  return {
    kind: 'error',
    status,
    errorType: ERROR_TYPES[status] ?? 'api_error',
    message: options.message ?? `fake ${status}`,
    retryAfter: options.retryAfter,
  };
}

export const hang: ScriptedReply = { kind: 'hang' };
export const drop: ScriptedReply = { kind: 'drop' };

/** The reply, held until `gate` settles. */
export function heldUntil(reply: ScriptedReply, gate: Promise<void>): ScriptedReply {
  return reply.kind === 'message' ? { ...reply, after: gate } : reply;
}

export function withDelay(reply: ScriptedReply, delayMs: number): ScriptedReply {
  return reply.kind === 'message' || reply.kind === 'error' ? { ...reply, delayMs } : reply;
}

/** The JSON body of a Messages API success, as the SDK's `Message` type declares it. */
export function messageBody(
  reply: Extract<ScriptedReply, { kind: 'message' }>,
  model: string,
  serial: number,
): Record<string, unknown> {
  const content = reply.content.map((block, i) =>
    block.type === 'text'
      ? { type: 'text', text: block.text, citations: null }
      : {
          type: 'tool_use',
          id: block.id ?? `toolu_fake_${serial}_${i}`,
          name: block.name,
          input: block.input,
          caller: { type: 'direct' },
        },
  );
  const hasTool = reply.content.some((b) => b.type === 'tool_use');
  const outputText = reply.content.map((b) => (b.type === 'text' ? b.text : JSON.stringify(b.input))).join('');
  return {
    id: `msg_fake_${serial}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.stopReason ?? (hasTool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: reply.inputTokens ?? 100,
      output_tokens: reply.outputTokens ?? Math.max(1, Math.ceil(outputText.length / 4)),
      cache_creation_input_tokens: reply.cacheWriteTokens ?? null,
      cache_read_input_tokens: reply.cacheReadTokens ?? null,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };
}
