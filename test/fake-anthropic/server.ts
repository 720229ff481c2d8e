/**
 * A loopback server that speaks the Anthropic Messages API as the SDK 1.x expects (bearer auth, the
 * `anthropic-version` header, JSON error bodies, `retry-after`). Tests point the real SDK at it through `baseURL`:
 * nothing is mocked and nothing leaves 127.0.0.1.
 *
 * Replies to POST /v1/messages come from a queue scripted per test (`script(...)`), then from a responder
 * function (`respondWith(fn)`) for long runs. Other endpoints (e.g. message batches, later) plug in with `route`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageBody, type ScriptedReply } from './replies.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string's parameters (e.g. `limit`, `after_id` of a list). */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** A raw answer for routes that are not the Messages endpoint. */
export interface RawReply {
  readonly kind: 'raw';
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: RecordedRequest) => ScriptedReply | RawReply | Promise<ScriptedReply | RawReply>;
export type MessagesResponder = (body: MessagesRequestBody, index: number) => ScriptedReply;

/** The parts of a Messages request body the fake reads (the SDK sends more). */
export interface MessagesRequestBody {
  readonly model: string;
  readonly system?: unknown;
  readonly messages: readonly { readonly role: string; readonly content: unknown }[];
  readonly tools?: readonly { readonly name: string }[];
  readonly tool_choice?: { readonly type: string; readonly name?: string };
  readonly max_tokens: number;
  readonly cache_control?: { readonly type: string };
}

export interface FakeAnthropicOptions {
  /** The key the server accepts as `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Latency added to every Messages reply (the benchmark uses 200 ms). */
  readonly latencyMs?: number;
}

export class FakeAnthropicServer {
  readonly requests: RecordedRequest[] = [];
  readonly apiKey: string;
  private readonly queue: ScriptedReply[] = [];
  private responder: MessagesResponder | undefined;
  private readonly routes = new Map<string, RouteHandler>();
  private readonly latencyMs: number;
  private readonly server: Server;
  private serial = 0;
  private messagesSeen = 0;
  /** Requests being answered right now (the benchmark checks the concurrency the client achieves). */
  inFlight = 0;
  peakInFlight = 0;

  private constructor(options: FakeAnthropicOptions) {
    this.apiKey = options.apiKey ?? 'sk-ant-fake-test-key-0123456789';
    this.latencyMs = options.latencyMs ?? 0;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.route('POST', '/v1/messages', (request) => this.answerMessages(request));
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
    const fake = new FakeAnthropicServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to hand to the SDK (`baseURL` or ANTHROPIC_BASE_URL). */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queue replies for the next Messages requests, in order. */
  script(...replies: ScriptedReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answer Messages requests with this function once the scripted queue is empty. */
  respondWith(responder: MessagesResponder): this {
    this.responder = responder;
    return this;
  }

  /** Add or replace an endpoint, e.g. `route('POST', '/v1/messages/batches', handler)`. */
  route(method: string, path: string, handler: RouteHandler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  /** Bodies of the Messages requests received so far. */
  get messageRequests(): MessagesRequestBody[] {
    return this.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as MessagesRequestBody);
  }

  get pending(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answerMessages(request: RecordedRequest): ScriptedReply {
    const index = this.messagesSeen++;
    const next = this.queue.shift();
    if (next) return next;
    if (this.responder) return this.responder(request.body as MessagesRequestBody, index);
    return { kind: 'error', status: 500, errorType: 'api_error', message: `fake server: no scripted reply for request ${index}` };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as unknown) : undefined,
    };
    this.requests.push(request);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
        return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      }
      if (!req.headers['anthropic-version']) {
        return sendError(res, 400, 'invalid_request_error', 'anthropic-version header is required');
      }
      const handler = this.routes.get(`${request.method} ${path}`);
      if (!handler) return sendError(res, 404, 'not_found_error', `no route ${request.method} ${path}`);
      const reply = await handler(request);
      await this.send(res, reply, request);
    } finally {
      this.inFlight--;
    }
  }

  private async send(res: ServerResponse, reply: ScriptedReply | RawReply, request: RecordedRequest): Promise<void> {
    if (reply.kind === 'raw') {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    }
    if (reply.kind === 'hang') {
      // Hold the request until the client gives up and closes the socket.
      await new Promise<void>((resolve) => res.on('close', resolve));
      return;
    }
    if (reply.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (reply.kind === 'message' && reply.after !== undefined) await reply.after;
    await sleep((reply.delayMs ?? 0) + this.latencyMs);
    if (reply.kind === 'error') {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
      return sendError(res, reply.status, reply.errorType, reply.message, headers);
    }
    const model = (request.body as MessagesRequestBody).model;
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${this.serial}` });
    res.end(JSON.stringify(messageBody(reply, model, this.serial++)));
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  // x-should-retry is left unset so the client's own retry rules decide, as with the real API.
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake_error', ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake_error' }));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
