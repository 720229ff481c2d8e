/**
 * A live session's run directory: the same files as a scripted run (manifest.json, events.jsonl,
 * conversations.jsonl, metrics.json), so `report`, `compare` and the notebooks read it unchanged, plus
 * `live-cells.jsonl`, one line per conversation as it starts (who, which model and policy — never a session
 * token), so the records of conversations cut off by a crash can still be written afterwards (closeLiveRun).
 *
 * Every event is appended and flushed as it happens: stopping the server, or a crash, loses nothing said.
 */
import type { ScenarioClass } from '../core/labels.ts';
import type { ConversationCell, ConversationRecord, LiveCellLine, RunEvent } from '../core/records.ts';
import { JsonlAppender } from '../store/jsonl-appender.ts';
import { writeManifest, type RunManifest } from '../store/manifest.ts';
import { createRunDirectory, runFile } from '../store/run-directory.ts';
import { newRunManifest } from '../runner/new-manifest.ts';
import { closeLiveRun, summarizeLive } from './close-live-run.ts';

export interface LiveRunOptions {
  readonly runsDir: string;
  readonly out?: string;
  /** Experiment name (runs/<name>/<timestamp>/). */
  readonly experiment: string;
  /** The experiment file, or a description such as "(welfare-sim chat)". */
  readonly experimentFile: string;
  readonly seed: number;
  /** Resolved configuration recorded in the manifest (policy, model, study settings). */
  readonly config: unknown;
  readonly now: () => Date;
}

export class LiveRun {
  readonly dir: string;
  private readonly events: JsonlAppender;
  private readonly conversations: JsonlAppender;
  private readonly cells: JsonlAppender;
  private readonly manifest: RunManifest;
  private next = 0;
  private closed = false;

  constructor(private readonly options: LiveRunOptions) {
    this.dir = createRunDirectory({ out: options.out, runsDir: options.runsDir, experiment: options.experiment, now: options.now(), live: true });
    this.manifest = newRunManifest({
      experiment: options.experiment,
      experimentFile: options.experimentFile,
      config: options.config,
      seed: options.seed,
      shard: null,
      planned: 0,
      gridSize: 0,
      startedAt: options.now(),
    });
    writeManifest(this.dir, this.manifest);
    this.events = new JsonlAppender(runFile(this.dir, 'events'));
    this.conversations = new JsonlAppender(runFile(this.dir, 'conversations'));
    this.cells = new JsonlAppender(runFile(this.dir, 'liveCells'));
  }

  /** Registers a new conversation and returns its cell (index in order of arrival, id stable in this run). */
  startConversation(fields: Omit<ConversationCell, 'index' | 'id' | 'class' | 'seed'> & { readonly class?: ScenarioClass }): ConversationCell {
    const index = this.next;
    this.next += 1;
    const cell: ConversationCell = {
      ...fields,
      index,
      id: `live-${this.manifest.startedAt.replace(/[^0-9]/g, '')}-${index}`,
      class: fields.class ?? 'benign',
      seed: index,
    };
    this.cells.append({ cell, classGiven: fields.class !== undefined } satisfies LiveCellLine);
    this.cells.flush();
    return cell;
  }

  /**
   * Appends one record to events.jsonl, on disk before this returns. After close (a reply that came back after the
   * shutdown deadline, never shown to anyone) nothing more is written: the run's records are final.
   */
  recordEvent(event: RunEvent): void {
    if (this.closed) return;
    this.events.append(event);
    this.events.flush();
  }

  /** Writes a finished conversation's record (class inferred unless given) and returns it; after close, only returns it. */
  finishConversation(line: LiveCellLine, events: readonly RunEvent[], error?: string): ConversationRecord {
    const record = summarizeLive(line, events, error);
    if (this.closed) return record;
    this.conversations.append(record);
    this.conversations.flush();
    return record;
  }

  /**
   * Writes the records of conversations still open, metrics.json, and the final manifest. Idempotent.
   * `unconsentedJoins`: visitors who never consented (a study server knows; they are counted, never recorded).
   */
  async close(counts: { readonly unconsentedJoins?: number } = {}): Promise<string> {
    if (this.closed) return this.dir;
    this.closed = true;
    this.events.close();
    this.conversations.close();
    this.cells.close();
    await closeLiveRun(this.dir, this.options.now, counts.unconsentedJoins);
    return this.dir;
  }
}
