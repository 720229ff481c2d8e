/**
 * Reads a run directory into RunData: the manifest, metrics.json, then conversations.jsonl and events.jsonl
 * streamed line by line through the aggregator (nothing but the aggregates and the transcript sample is kept).
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../shared/input-error.ts';
import { runDirHint } from '../store/manifest.ts';
import type { ConversationRecord, MetricsFile, RunEvent } from '../core/records.ts';
import { RunAggregator } from './aggregate-run.ts';
import type { AggregateOptions } from './aggregate-run.ts';
import type { ManifestSummary, RunData } from './run-data.ts';

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw InputError.one(file, '', `expected a JSON file, found ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How to repair a run cut short: a live session (it has live-cells.jsonl) is closed, a scripted run resumed. */
function repairAdvice(file: string): string {
  const dir = dirname(file);
  return existsSync(join(dir, 'live-cells.jsonl')) ? `\`welfare-sim serve --close ${dir}\` repairs it` : `\`welfare-sim run --resume ${dir}\` repairs it`;
}

/**
 * Calls `onLine` with each parsed line of a jsonl file; a malformed line is bad input naming its line number.
 * Splits 1 MB chunks itself: readline costs more than the JSON parsing on a 100,000-conversation run.
 */
async function streamJsonl(file: string, onLine: (value: unknown, bytes: number) => void): Promise<void> {
  let lineNumber = 0;
  let rest = '';
  const handle = (line: string, last = false): void => {
    lineNumber += 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (last) {
        throw InputError.one(file, `line ${lineNumber}`, `expected a complete JSON line, found a line cut short (the run was interrupted mid-write; ${repairAdvice(file)})`);
      }
      throw InputError.one(file, `line ${lineNumber}`, 'expected one JSON record per line, found text that is not JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw InputError.one(file, `line ${lineNumber}`, `expected one JSON object per line, found ${JSON.stringify(line.slice(0, 60))}`);
    }
    onLine(value, line.length);
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      handle(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') handle(rest, true);
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function summariseManifest(raw: Readonly<Record<string, unknown>>): ManifestSummary {
  const seed = raw.seed;
  return {
    experiment: stringOrNull(raw.experiment) ?? 'unnamed experiment',
    status: stringOrNull(raw.status) ?? 'unknown',
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : null,
    configHash: stringOrNull(raw.configHash),
    startedAt: stringOrNull(raw.startedAt),
    finishedAt: stringOrNull(raw.finishedAt),
    raw,
  };
}

/** Loads and aggregates a run directory. Throws InputError when it is not one. */
export async function loadRun(runDir: string, options: AggregateOptions = {}): Promise<RunData> {
  const manifestFile = join(runDir, 'manifest.json');
  const conversationsFile = join(runDir, 'conversations.jsonl');
  if (!existsSync(manifestFile) || !existsSync(conversationsFile)) {
    throw InputError.one(runDir, '', `expected a run directory holding manifest.json and conversations.jsonl, found neither or only one${runDirHint(runDir)}`);
  }
  const manifest = readJsonFile(manifestFile);
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw InputError.one(manifestFile, '', 'expected a JSON object');
  }
  const metricsFile = join(runDir, 'metrics.json');
  const metrics = existsSync(metricsFile) ? (readJsonFile(metricsFile) as MetricsFile) : null;
  const aggregator = new RunAggregator(options);
  await streamJsonl(conversationsFile, (value) => aggregator.addConversation(value as ConversationRecord));
  aggregator.seal();
  const eventsFile = join(runDir, 'events.jsonl');
  if (existsSync(eventsFile)) await streamJsonl(eventsFile, (value, bytes) => aggregator.addEvent(value as RunEvent, bytes));
  return aggregator.finish(summariseManifest(manifest as Record<string, unknown>), metrics);
}
