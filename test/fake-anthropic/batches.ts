/**
 * The Message Batches endpoints for the loopback server, as the SDK 1.x calls them: create
 * (POST /v1/messages/batches), list (GET /v1/messages/batches, newest first, paged by `after_id`), retrieve
 * (GET /v1/messages/batches/{id}) and results — JSON lines at the batch's
 * `results_url`, served by a second loopback listener because the main fake answers JSON only. A batch stays
 * `in_progress` for `pollsUntilEnded` retrieves, then ends; each request's result is decided by `outcome`
 * (succeeded by default, or expired, or errored with an error type), its message by the Messages responder.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drop, messageBody } from './replies.ts';
import type { FakeAnthropicServer, MessagesRequestBody, MessagesResponder } from './server.ts';

export type BatchOutcome = { readonly type: 'succeeded' } | { readonly type: 'expired' } | { readonly type: 'errored'; readonly errorType: string };

export interface FakeBatchesOptions {
  readonly respond: MessagesResponder;
  /** Result of one request, by its custom_id and how many times that custom_id was submitted before. */
  readonly outcome?: (customId: string, submittedBefore: number) => BatchOutcome;
  /** Retrieves that still answer `in_progress`, for every batch or by batch number (0-based). */
  readonly pollsUntilEnded?: number | ((batchNumber: number) => number);
  /** Answer this call of a batch endpoint with 529 overloaded (nothing done), by endpoint and its call count (0-based). */
  readonly fault?: (endpoint: 'create' | 'retrieve' | 'results', call: number) => boolean;
  /**
   * Lose the reply to this call of create (0-based): the batch is created (and billed) but the connection drops
   * before the client hears of it, as when a network fails mid-reply.
   */
  readonly loseCreateReply?: (call: number) => boolean;
}

interface StoredBatch {
  readonly id: string;
  readonly number: number;
  readonly requests: readonly { readonly custom_id: string; readonly params: MessagesRequestBody }[];
  readonly createdAt: string;
  polls: number;
  results: string | null;
}

export class FakeBatches {
  readonly batches: StoredBatch[] = [];
  /** Every request ever submitted in a batch: what a real account would be billed for, counted by the server. */
  readonly submitted: string[] = [];
  /** Creations whose reply was lost (the batch exists, the client was not told). */
  lostReplies = 0;
  private creates = 0;
  private readonly seen = new Map<string, number>();
  private serial = 0;
  private readonly endpointCalls = { create: 0, retrieve: 0, results: 0 };
  /** Batch endpoint calls answered with a fault. */
  faults = 0;

  private constructor(
    private readonly fake: FakeAnthropicServer,
    private readonly options: FakeBatchesOptions,
    private readonly resultsServer: Server,
  ) {}

  static async attach(fake: FakeAnthropicServer, options: FakeBatchesOptions): Promise<FakeBatches> {
    let self: FakeBatches | undefined;
    const resultsServer = createServer((req, res) => {
      if (self?.faulted('results')) {
        res.writeHead(529, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'fake overloaded' } }));
        return;
      }
      const id = /^\/results\/([^/?]+)/.exec(req.url ?? '')?.[1];
      const batch = self?.batches.find((b) => b.id === id);
      if (!batch || batch.results === null) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'no results' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/binary' });
      res.end(batch.results);
    });
    await new Promise<void>((resolve) => resultsServer.listen(0, '127.0.0.1', resolve));
    self = new FakeBatches(fake, options, resultsServer);
    fake.route('POST', '/v1/messages/batches', (request) => self.create(request.body as { requests: StoredBatch['requests'] }));
    fake.route('GET', '/v1/messages/batches', (request) => self.list(request.query));
    return self;
  }

  async close(): Promise<void> {
    this.resultsServer.closeAllConnections();
    await new Promise<void>((resolve) => this.resultsServer.close(() => resolve()));
  }

  private get resultsBase(): string {
    return `http://127.0.0.1:${(this.resultsServer.address() as AddressInfo).port}/results`;
  }

  private faulted(endpoint: 'create' | 'retrieve' | 'results'): boolean {
    const call = this.endpointCalls[endpoint]++;
    const fault = this.options.fault?.(endpoint, call) ?? false;
    if (fault) this.faults += 1;
    return fault;
  }

  private overloaded() {
    return { kind: 'raw' as const, status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'fake overloaded' } } };
  }

  private create(body: { requests: StoredBatch['requests'] }) {
    if (this.faulted('create')) return this.overloaded();
    const number = this.serial++;
    const batch: StoredBatch = { id: `msgbatch_fake_${number}`, number, requests: body.requests, createdAt: new Date().toISOString(), polls: 0, results: null };
    this.batches.push(batch);
    for (const request of body.requests) this.submitted.push(request.custom_id);
    this.fake.route('GET', `/v1/messages/batches/${batch.id}`, () => this.retrieve(batch));
    if (this.options.loseCreateReply?.(this.creates++) === true) {
      this.lostReplies += 1;
      return drop;
    }
    return { kind: 'raw' as const, status: 200, body: this.describe(batch) };
  }

  /** The account's batches, newest first, `limit` a page, after `after_id` (as the API pages them). */
  private list(query: Readonly<Record<string, string>>) {
    const newestFirst = [...this.batches].reverse();
    const start = query.after_id === undefined ? 0 : newestFirst.findIndex((b) => b.id === query.after_id) + 1;
    const limit = Number(query.limit ?? 20);
    const page = newestFirst.slice(start, start + limit);
    const body = { data: page.map((b) => this.describe(b)), has_more: start + limit < newestFirst.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null };
    return { kind: 'raw' as const, status: 200, body };
  }

  private retrieve(batch: StoredBatch) {
    if (this.faulted('retrieve')) return this.overloaded();
    batch.polls += 1;
    const until = this.options.pollsUntilEnded ?? 1;
    if (batch.results === null && batch.polls > (typeof until === 'function' ? until(batch.number) : until)) batch.results = this.process(batch);
    return { kind: 'raw' as const, status: 200, body: this.describe(batch) };
  }

  private process(batch: StoredBatch): string {
    return batch.requests
      .map((request, index) => {
        const before = this.seen.get(request.custom_id) ?? 0;
        this.seen.set(request.custom_id, before + 1);
        const outcome = this.options.outcome?.(request.custom_id, before) ?? { type: 'succeeded' };
        const reply = outcome.type === 'succeeded' ? this.options.respond(request.params, index) : null;
        const result =
          outcome.type === 'errored'
            ? { type: 'errored', error: { type: 'error', error: { type: outcome.errorType, message: `fake ${outcome.errorType}` } } }
            : outcome.type === 'expired'
              ? { type: 'expired' }
              : reply?.kind === 'message'
                ? { type: 'succeeded', message: messageBody(reply, request.params.model, index) }
                : { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'fake: no message scripted' } } };
        return JSON.stringify({ custom_id: request.custom_id, result }) + '\n';
      })
      .join('');
  }

  private describe(batch: StoredBatch) {
    const ended = batch.results !== null;
    const counts = { processing: ended ? 0 : batch.requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (ended) {
      for (const line of (batch.results as string).split('\n').filter(Boolean)) {
        const type = (JSON.parse(line) as { result: { type: keyof typeof counts } }).result.type;
        counts[type] += 1;
      }
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: counts,
      created_at: batch.createdAt,
      ended_at: ended ? batch.createdAt : null,
      expires_at: batch.createdAt,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.resultsBase}/${batch.id}` : null,
    };
  }
}
