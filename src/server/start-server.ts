/**
 * Starts a study: loads the experiment, creates the run directory and the model, and listens (127.0.0.1 by
 * default). `close()` stops accepting requests, then records every open conversation and finalises the run.
 */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { serve, type ServerType } from '@hono/node-server';
import { InputError } from '../common/input-error.ts';
import type { ModelContext } from '../models/create-model.ts';
import { createAssistantModel } from '../models/create-model.ts';
import { LiveRun } from '../live/live-run.ts';
import { createStudyApp } from './app.ts';
import { BoundedStop } from './bounded-stop.ts';
import { loadStudy } from './load-study.ts';
import { StudyHost, type JoinLimits } from './study-host.ts';

export interface StudyServerOptions {
  readonly experimentFile: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly runsDir: string;
  readonly out?: string;
  readonly modelContext: Omit<ModelContext, 'experimentFile'>;
  readonly now?: () => Date;
  /** Bounds on unconsented visitors (default DEFAULT_JOIN_LIMITS). */
  readonly limits?: JoinLimits;
}

export interface CloseOptions {
  /** How long requests in flight may take to finish before their connections are cut (default 10 s). */
  readonly graceMs?: number;
  readonly onWaiting?: (connections: number) => void;
  readonly onCut?: (connections: number) => void;
}

export interface StudyServer {
  readonly url: string;
  readonly researcherUrl: string;
  readonly runDir: string;
  readonly host: StudyHost;
  /**
   * Stops the server within the grace period and closes the run directory; returns it. Every acknowledged turn is
   * recorded; a reply that comes back after the run is closed is never shown and not written.
   */
  close(options?: CloseOptions): Promise<string>;
  /** Ends the wait of a close in progress: open connections are cut and the run is closed now. */
  stopNow(): void;
}

/** A request may take this long, headers included, before Node cuts it (a slow client cannot hold a socket). */
const REQUEST_TIMEOUT_MS = 30_000;

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Listening on every interface: the printed links need an address other computers can use. */
export function isWildcard(hostname: string): boolean {
  return hostname === '0.0.0.0' || hostname === '::' || hostname === '';
}

/** This computer's first external IPv4 address (else IPv6, else loopback): what a participant on the network types. */
function networkAddress(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => !a.internal);
  return (addresses.find((a) => a.family === 'IPv4') ?? addresses[0])?.address ?? '127.0.0.1';
}

export async function startStudyServer(options: StudyServerOptions): Promise<StudyServer> {
  const now = options.now ?? (() => new Date());
  const { loaded, study, policy, model: entry } = loadStudy(options.experimentFile);
  const model = createAssistantModel(entry, { ...options.modelContext, experimentFile: options.experimentFile });
  const run = new LiveRun({
    runsDir: options.runsDir,
    out: options.out,
    experiment: loaded.experiment.name,
    experimentFile: options.experimentFile,
    seed: loaded.experiment.seed,
    config: { live: 'study', experiment: loaded.experiment, policy, model: entry },
    now,
  });
  const host = new StudyHost({
    run, study, policy, model, modelId: entry.id, seed: loaded.experiment.seed, maxMoves: loaded.experiment.maxTurns, now,
    limits: options.limits,
  });
  const hostname = options.host ?? '127.0.0.1';
  const app = createStudyApp(host, { allowedHosts: isLoopback(hostname) ? LOOPBACK_NAMES : null });
  const port = options.port ?? 8787;
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, hostname, port }, () => resolve(started));
      started.once('error', reject);
    });
  } catch (error) {
    await host.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.one('--port', '', `expected a free port on ${hostname}, found ${port} ${code === 'EADDRINUSE' ? 'in use' : `unusable (${code ?? String(error)})`}`);
  }
  if ('requestTimeout' in server) {
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = Math.min(server.headersTimeout, REQUEST_TIMEOUT_MS);
  }
  const stopper = new BoundedStop(server);
  let stopNow: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopNow = resolve));
  const address = server.address() as AddressInfo;
  const reachable = isWildcard(hostname) ? networkAddress() : hostname;
  const shown = reachable.includes(':') ? `[${reachable}]` : reachable;
  const url = `http://${shown}:${address.port}`;
  let closing: Promise<string> | null = null;
  return {
    url,
    researcherUrl: `${url}/r/${host.researcherToken}`,
    runDir: run.dir,
    host,
    close(closeOptions: CloseOptions = {}) {
      closing ??= (async () => {
        await stopper.stop({ graceMs: closeOptions.graceMs ?? 10_000, now: stopped, onWaiting: closeOptions.onWaiting, onCut: closeOptions.onCut });
        return host.close();
      })();
      return closing;
    },
    stopNow: () => stopNow(),
  };
}
