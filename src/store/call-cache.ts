/**
 * A content-addressed cache of model calls on disk: the key is a SHA-256 of the full request (canonical JSON,
 * keys sorted), so any change to the model, prompt, tools, sampling settings or sample number is a new call, and
 * an identical call — in a rerun, a resume, another sweep value or another policy that shares the prefix — is
 * paid for once. Entries are written atomically (temporary file, then rename), so a crash never leaves half an
 * entry, and concurrent writers of the same key are harmless (same content).
 *
 * Layout: `<dir>/<first two hex digits>/<key>.json` holding `{ v, key, request, response }`. No credentials
 * are ever part of a request body, so none reach the cache.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const CACHE_FORMAT_VERSION = 1;

/** JSON with object keys sorted at every level: equal requests give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The cache key of a request: hex SHA-256 of its canonical JSON. */
export function callKey(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export interface CallCache {
  get(key: string): Promise<unknown | undefined>;
  put(key: string, request: unknown, response: unknown): Promise<void>;
}

interface CacheEntry {
  readonly v: number;
  readonly key: string;
  readonly request: unknown;
  readonly response: unknown;
}

export class DiskCallCache implements CallCache {
  constructor(readonly dir: string) {}

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

/** A cache that never hits (`--no-cache`): every call is made. */
export const NO_CACHE: CallCache = {
  get: () => Promise.resolve(undefined),
  put: () => Promise.resolve(),
};
