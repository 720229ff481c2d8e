/**
 * A content-addressed cache of model calls on disk: the key is a SHA-256 of the full request (canonical JSON,
 * keys sorted), so any change to the model, prompt, tools, sampling settings or sample number is a new call, and
 * an identical call — in a rerun, a resume, another sweep value or another policy that shares the prefix — is
 * paid for once. Entries are written atomically (temporary file, then rename), so a crash never leaves half an
 * entry, and concurrent writers of the same key are harmless (same content).
 *
 * Identical calls in flight at the same moment share one call, across every model and judge that uses the
 * same cache folder (two policies, or two model entries whose judges rate the same reply), so the number of calls
 * does not depend on the run's concurrency.
 *
 * Layout: `<dir>/<first two hex digits>/<key>.json` holding `{ v, key, request, response }`. No credentials
 * are ever part of a request body, so none reach the cache.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { canonicalJson } from '../core/canonical-json.ts';

const CACHE_FORMAT_VERSION = 1;

/** The cache key of a request: hex SHA-256 of its canonical JSON. */
export function callKey(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export interface Remembered<T> {
  readonly value: T;
  /** True when no call was made for it: read from disk, or shared with an identical call in flight. */
  readonly cached: boolean;
  /** The request's cache key. */
  readonly key: string;
}

export interface CallCache {
  /** The stored response to `request`, else the one `produce` makes (then stored). `produce` gets the key. */
  remember<T>(request: unknown, produce: (key: string) => Promise<T>): Promise<Remembered<T>>;
}

interface CacheEntry {
  readonly v: number;
  readonly key: string;
  readonly request: unknown;
  readonly response: unknown;
}

export class DiskCallCache implements CallCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  async remember<T>(request: unknown, produce: (key: string) => Promise<T>): Promise<Remembered<T>> {
    const key = callKey(request);
    const pending = this.inFlight.get(key);
    if (pending) return { value: (await pending) as T, cached: true, key };
    let made = false;
    const promise = (async () => {
      const stored = await this.get(key);
      if (stored !== undefined) return stored as T;
      made = true;
      const value = await produce(key);
      await this.put(key, request, value);
      return value;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    const value = await promise;
    return { value, cached: !made, key };
  }

  private pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<unknown | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const entry = JSON.parse(text) as CacheEntry;
      return entry.v === CACHE_FORMAT_VERSION && entry.key === key ? entry.response : undefined;
    } catch {
      // An unreadable entry (e.g. a disk filled up mid-write outside our atomic path) is a miss, not a crash.
      return undefined;
    }
  }

  async put(key: string, request: unknown, response: unknown): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const entry: CacheEntry = { v: CACHE_FORMAT_VERSION, key, request, response };
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(entry) + '\n', 'utf8');
    await rename(temporary, file);
  }
}

/** A cache that never hits (`--no-cache`): every call is made, even one identical to a call in flight. */
export const NO_CACHE: CallCache = {
  remember: async (request, produce) => {
    const key = callKey(request);
    return { value: await produce(key), cached: false, key };
  },
};

const openCaches = new Map<string, DiskCallCache>();

/** The one cache object per folder in this process, so every model that uses the folder shares calls in flight. */
export function diskCallCache(dir: string): DiskCallCache {
  const path = resolve(dir);
  let cache = openCaches.get(path);
  if (!cache) {
    cache = new DiskCallCache(path);
    openCaches.set(path, cache);
  }
  return cache;
}
