/**
 * Stops an HTTP server within a deadline. New connections are refused at once; requests in flight get up to
 * `graceMs` to finish (or until `now` settles: a second Ctrl-C). Then every connection still open — idle keep-alive,
 * a reply still coming, a client that sent half a request and went quiet — is cut, so stopping never waits on a
 * client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerType } from '@hono/node-server';

export interface StopOptions {
  readonly graceMs: number;
  /** Settles to stop waiting at once. */
  readonly now: Promise<void>;
  /** Told how many requests are in flight when the wait begins (not called when none are). */
  readonly onWaiting?: (requests: number) => void;
  /** Told how many requests were cut at the deadline (not called when none were). */
  readonly onCut?: (requests: number) => void;
}

/** Watches a server's sockets and requests in flight, so a stop can say what it waits for and cut what is left. */
export class BoundedStop {
  private readonly sockets = new Set<Socket>();
  private inFlight = 0;
  private drained: (() => void) | null = null;

  constructor(private readonly server: ServerType) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.inFlight += 1;
      response.once('close', () => {
        this.inFlight -= 1;
        if (this.inFlight === 0) this.drained?.();
      });
    });
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  async stop(options: StopOptions): Promise<void> {
    const server = this.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.inFlight > 0) {
      options.onWaiting?.(this.inFlight);
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((resolve) => (this.drained = resolve));
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs)));
      await Promise.race([drained, deadline, options.now]);
      clearTimeout(timer);
    }
    if (this.inFlight > 0) options.onCut?.(this.inFlight);
    if ('closeAllConnections' in server) server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
