/**
 * tune-state.json: where a race stands, rewritten atomically after every round so `welfare-sim tune --resume DIR`
 * continues from the last finished round (the conversations of a round cut short are in conversations.jsonl and
 * are not run again).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../common/input-error.ts';
import { writeJsonAtomic } from '../../store/atomic-write.ts';
import { runFile } from '../../store/run-directory.ts';
import { schemaCheck } from '../../store/schemas/check-record.ts';
import { describes } from '../../store/schemas/describes.ts';

export type CandidateStatus = 'racing' | 'infeasible' | 'dominated';

export interface CandidateState {
  readonly name: string;
  readonly index: number;
  readonly point: Readonly<Record<string, unknown>>;
  status: CandidateStatus;
  /** The round (1-based) it left the race in, and why. */
  leftInRound: number | null;
  reason: string | null;
  /** Repetitions per user and model it has run. */
  repetitions: number;
}

export interface RoundRecord {
  readonly round: number;
  readonly repetitions: number;
  readonly racing: number;
  /** Racing candidates that ran this round; the others were parked (no decision of theirs could still settle). */
  readonly running: number;
  readonly conversations: number;
  readonly eliminated: readonly { readonly candidate: string; readonly status: CandidateStatus; readonly reason: string }[];
}

export interface RaceState {
  readonly formatVersion: 1;
  readonly mode: 'race' | 'exhaustive';
  readonly configHash: string;
  readonly schedule: readonly number[];
  /** Intervals are built at this two-sided level (Bonferroni over `tests`). */
  readonly level: number;
  readonly tests: number;
  roundsDone: number;
  readonly candidates: CandidateState[];
  readonly history: RoundRecord[];
  /** Candidates that get the next round's repetitions; null: every candidate still racing. */
  active: string[] | null;
  /** Estimated spend on paid models over every invocation, in US dollars. */
  spentUsd: number;
  /** Why the race stopped before its last round, when it did. */
  stopped: string | null;
  finished: boolean;
}

const statusSchema = z.enum(['racing', 'infeasible', 'dominated']);
const checkRaceState = schemaCheck(
  describes<RaceState>()(
    z.object({
      formatVersion: z.literal(1),
      mode: z.enum(['race', 'exhaustive']),
      configHash: z.string(),
      schedule: z.array(z.number().int().min(1)),
      level: z.number(),
      tests: z.number().int().min(0),
      roundsDone: z.number().int().min(0),
      candidates: z.array(
        describes<CandidateState>()(
          z.object({
            name: z.string(),
            index: z.number().int().min(0),
            point: z.record(z.string(), z.unknown()),
            status: statusSchema,
            leftInRound: z.number().int().nullable(),
            reason: z.string().nullable(),
            repetitions: z.number().int().min(0),
          }),
        ),
      ),
      history: z.array(
        describes<RoundRecord>()(
          z.object({
            round: z.number().int(),
            repetitions: z.number().int(),
            racing: z.number().int(),
            running: z.number().int(),
            conversations: z.number().int(),
            eliminated: z.array(z.object({ candidate: z.string(), status: statusSchema, reason: z.string() })),
          }),
        ),
      ),
      active: z.array(z.string()).nullable(),
      spentUsd: z.number().min(0),
      stopped: z.string().nullable(),
      finished: z.boolean(),
    }),
  ),
  null,
);

export const statePath = (runDir: string): string => runFile(runDir, 'tuneState');

export function writeRaceState(runDir: string, state: RaceState): void {
  writeJsonAtomic(statePath(runDir), state);
}

export function readRaceState(runDir: string): RaceState {
  const path = statePath(runDir);
  if (!existsSync(path)) throw InputError.one(path, '', 'expected the state of a tune race (run `welfare-sim tune` into this directory first), found no such file');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw InputError.one(path, '', 'expected JSON, found a file that does not parse');
  }
  if (typeof parsed !== 'object' || parsed === null) throw InputError.one(path, '', `expected the state of a tune race, found ${JSON.stringify(parsed)}`);
  const version = (parsed as { formatVersion?: unknown }).formatVersion;
  if (version !== 1) throw InputError.one(path, 'formatVersion', `expected 1, found ${JSON.stringify(version)}`);
  return checkRaceState(parsed, path, 0);
}
