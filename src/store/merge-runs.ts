/**
 * `welfare-sim merge`: joins the shard run directories of one experiment into one run directory, as if it had run
 * on one machine. Streaming throughout — memory does not grow with the number of conversations:
 *  - conversations.jsonl is a k-way merge of the shards' sorted files by grid index. Shards are interleaved
 *    (`shardIndices`), so the next index g always sits at the head of shard g mod N; every record is checked to
 *    be exactly the index expected, so a lost or duplicated conversation is an error, never a silent gap.
 *  - events.jsonl follows the same order, conversation by conversation, when each shard wrote its events in grid
 *    order (simulated runs always do); otherwise (a concurrent real-model shard) the shards' files are joined one
 *    after the other, every line still checked.
 *  - metrics.json is recomputed through MetricsAccumulator in grid order, as `finalizeRun` does on one machine.
 * Everything is written into a staging directory beside --out and moved into place at the end: a failed merge
 * leaves nothing behind.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, truncateSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../common/input-error.ts';
import { notMeasuredByPolicy } from '../core/measurability-config.ts';
import { MetricsAccumulator } from '../core/metrics.ts';
import type { ConversationRecord, MetricsFile, RunEvent } from '../core/records.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { JsonlAppender } from './jsonl-appender.ts';
import type { JsonlLine, LineCursor } from './line-cursor.ts';
import { writeManifest, type RunManifest } from './manifest.ts';
import { mergedManifest } from './merged-manifest.ts';
import { runFile } from './run-directory.ts';
import { recordCursor } from './run-records.ts';
import { checkShardSet, type ShardSet } from './shard-set.ts';

export interface MergeRequest {
  /** The shard run directories, in any order. */
  readonly dirs: readonly string[];
  /** The merged run directory: must not exist yet, or be empty. */
  readonly out: string;
}

export interface MergeOutcome {
  readonly outDir: string;
  readonly manifest: RunManifest;
  readonly metrics: MetricsFile;
  /** 'grid' when events.jsonl is in grid order (as a one-machine run writes it), 'shard' when joined shard by shard. */
  readonly eventsOrder: 'grid' | 'shard';
}

/**
 * Checks the shards, merges them into `out` and returns the merged manifest and metrics.
 *
 * @example await mergeRuns({ dirs: ['runs/s1', 'runs/s2'], out: 'runs/merged' })
 */
export async function mergeRuns(request: MergeRequest): Promise<MergeOutcome> {
  const set = checkShardSet(request.dirs);
  const out = resolve(request.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw InputError.one('--out', '', `expected a new or empty directory, found ${request.out} with files in it`);
  }
  mkdirSync(dirname(out), { recursive: true });
  const staging = join(dirname(out), `.${basename(out)}.merging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const merged = mergeConversations(set, staging);
    if (!merged.eventsInGridOrder) joinEventsByShard(set, staging);
    writeJsonAtomic(runFile(staging, 'metrics'), merged.metrics);
    const manifest = mergedManifest(set, merged.counts);
    writeManifest(staging, manifest);
    if (existsSync(out)) rmdirSync(out);
    renameSync(staging, out);
    return { outDir: request.out, manifest, metrics: merged.metrics, eventsOrder: merged.eventsInGridOrder ? 'grid' : 'shard' };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

interface MergedRecords {
  readonly metrics: MetricsFile;
  readonly counts: { readonly completed: number; readonly errored: number };
  readonly eventsInGridOrder: boolean;
}

function mergeConversations(set: ShardSet, staging: string): MergedRecords {
  const records = set.shards.map((shard) => recordCursor(shard.dir, 'conversations'));
  const events = set.shards.map((shard) => recordCursor(shard.dir, 'events'));
  const conversationsOut = new JsonlAppender(runFile(staging, 'conversations'));
  const eventsOut = new JsonlAppender(runFile(staging, 'events'));
  const metrics = new MetricsAccumulator(set.experiment, notMeasuredByPolicy(set.shards[0]?.manifest.config));
  let errored = 0;
  let eventsInGridOrder = true;
  try {
    for (let index = 0; index < set.gridSize; index++) {
      const shard = index % set.count;
      const cursor = records[shard] as LineCursor<ConversationRecord>;
      const record = takeExpected(cursor, index, set, shard);
      conversationsOut.appendText(record.text + '\n');
      metrics.add(record.record);
      if (record.record.status === 'errored') errored += 1;
      if (eventsInGridOrder) eventsInGridOrder = copyEventsOf(record.record, events[shard] as LineCursor<RunEvent>, eventsOut);
      if (conversationsOut.shouldFlush) conversationsOut.flush();
      if (eventsOut.shouldFlush) eventsOut.flush();
    }
    for (const [shard, cursor] of records.entries()) expectEnd(cursor, set, shard);
    if (eventsInGridOrder) {
      for (const cursor of events) if ((cursor.peek()) !== null) eventsInGridOrder = false;
    }
  } finally {
    conversationsOut.close();
    eventsOut.close();
    for (const cursor of [...records, ...events]) cursor.close();
  }
  return { metrics: metrics.result(), counts: { completed: set.gridSize, errored }, eventsInGridOrder };
}

/** Takes the shard's next record, which must be grid index `index`. */
function takeExpected(cursor: LineCursor<ConversationRecord>, index: number, set: ShardSet, shard: number): JsonlLine<ConversationRecord> {
  const line = cursor.take();
  const holds = `shard ${shard + 1}/${set.count} holds ${everyNth(set.count)}`;
  if (line === null) {
    throw InputError.one(cursor.path, `line ${cursor.taken + 1}`, `expected grid index ${index} (${holds}), found the end of the file; the shard is missing conversations`);
  }
  if (line.record.index !== index) {
    throw InputError.one(cursor.path, `line ${line.line}`, `expected grid index ${index} (${holds}, in order), found ${JSON.stringify(line.record.index)}`);
  }
  return line;
}

function expectEnd(cursor: LineCursor<ConversationRecord>, set: ShardSet, shard: number): void {
  const extra = cursor.peek();
  if (extra !== null) {
    throw InputError.one(cursor.path, `line ${extra.line}`, `expected the end of shard ${shard + 1}/${set.count} after its ${cursor.taken} conversations, found another record (index ${JSON.stringify(extra.record.index)})`);
  }
}

/**
 * Copies the events of one conversation when they come next in the shard's events file. Returns false when the
 * file is evidently not in conversation order (a conversation with answered turns has no events here).
 */
function copyEventsOf(record: ConversationRecord, cursor: LineCursor<RunEvent>, out: JsonlAppender): boolean {
  let copied = 0;
  for (let next = cursor.peek(); next !== null && next.record.conversation === record.id; next = cursor.peek()) {
    cursor.take();
    out.appendText(next.text + '\n');
    copied += 1;
  }
  return copied > 0 || record.status === 'errored' || record.turns === 0;
}

/** The fallback: every shard's events, whole files one after another, each line checked. */
function joinEventsByShard(set: ShardSet, staging: string): void {
  const path = runFile(staging, 'events');
  truncateSync(path, 0);
  const out = new JsonlAppender(path);
  try {
    for (const shard of set.shards) {
      const cursor = recordCursor(shard.dir, 'events');
      try {
        for (let line = cursor.take(); line !== null; line = cursor.take()) {
          out.appendText(line.text + '\n');
          if (out.shouldFlush) out.flush();
        }
      } finally {
        cursor.close();
      }
    }
  } finally {
    out.close();
  }
}

/** "every conversation", "every 2nd conversation", "every 4th conversation". */
function everyNth(n: number): string {
  if (n === 1) return 'every conversation';
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `every ${n}${suffix} conversation`;
}
