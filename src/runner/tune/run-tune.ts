/**
 * `welfare-sim tune`: a race over the candidates of an experiment's `tune:` block (docs/tune.md). Each round runs
 * the next repetitions of every candidate still racing — the same users, models and seeds for all of them, so
 * their differences are paired (common random numbers) — then drops the candidates the evidence rules out. The
 * run directory is an ordinary run directory (manifest, events, conversations, metrics) plus tune-state.json.
 */
import { InputError } from '../../common/input-error.ts';
import { evidenceFromRecords } from '../../core/tune/evidence.ts';
import { activeCandidates } from '../../core/tune/futility.ts';
import { checkConstraint, decideRound } from '../../core/tune/race.ts';
import { configHash, readManifest, writeManifest, type RunManifest } from '../../store/manifest.ts';
import { readConversations } from '../../store/read-run.ts';
import { createRunDirectory } from '../../store/run-directory.ts';
import type { ModelContext } from '../../models/create-model.ts';
import { executeRun, modelCallStats } from '../execute-run.ts';
import { finalizeRun } from '../finalize-run.ts';
import { newRunManifest } from '../new-manifest.ts';
import type { ProgressSink } from '../progress.ts';
import { prepareResume } from '../resume-state.ts';
import { createRunPlan, type RunPlan } from '../run-plan.ts';
import { candidateIndices, prepareTune, type PreparedTune } from './prepare-tune.ts';
import { readRaceState, writeRaceState, type RaceState } from './race-state.ts';

export interface TuneRequest {
  readonly experimentFile?: string;
  readonly resumeDir?: string;
  readonly out?: string;
  readonly runsDir: string;
  /** `exhaustive`: every candidate at maxRepetitions in one round, nobody eliminated (the check on the race). */
  readonly mode?: 'race' | 'exhaustive';
  /** Stop before the estimated spend on paid models would exceed this, in US dollars. */
  readonly budgetUsd?: number;
  readonly concurrency?: number;
  readonly threads?: number;
  readonly noCache: boolean;
  readonly cacheDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal;
}

export interface TuneOutcome {
  readonly runDir: string;
  readonly prepared: PreparedTune;
  readonly state: RaceState;
  readonly manifest: RunManifest;
  /** Conversations in the run directory. */
  readonly conversations: number;
  readonly interrupted: boolean;
}

function initialState(prepared: PreparedTune, mode: 'race' | 'exhaustive'): RaceState {
  return {
    formatVersion: 1,
    mode,
    configHash: configHash(prepared.config),
    schedule: mode === 'race' ? prepared.schedule : [prepared.tune.maxRepetitions],
    level: prepared.level.level,
    tests: prepared.level.tests,
    roundsDone: 0,
    candidates: prepared.candidates.map((c) => ({ name: c.name, index: c.index, point: c.point, status: 'racing', leftInRound: null, reason: null, repetitions: 0 })),
    history: [],
    active: null,
    spentUsd: 0,
    stopped: null,
    finished: false,
  };
}

/** Below this many repetitions per user the intra-cluster correlation is too rough to project intervals from. */
export const MIN_REPETITIONS_TO_PROJECT = 4;

const spentNow = (plan: RunPlan): number => Object.values(modelCallStats(plan)).reduce((sum, s) => sum + s.estimatedCostUsd, 0);

export async function runTune(request: TuneRequest): Promise<TuneOutcome> {
  const previous = request.resumeDir === undefined ? null : readManifest(request.resumeDir);
  const file = request.experimentFile ?? previous?.experimentFile;
  if (file === undefined) throw InputError.one('welfare-sim tune', '', 'expected an experiment file or --resume DIR, found neither');
  const prepared = prepareTune(file);
  const hash = configHash(prepared.config);
  let state = request.resumeDir === undefined ? initialState(prepared, request.mode ?? 'race') : readRaceState(request.resumeDir);
  // A resumed race keeps the mode it started in.
  const mode = state.mode;
  if (request.resumeDir !== undefined && state.configHash !== hash) {
    throw InputError.one(file, '', `expected the configuration the race in ${request.resumeDir} started with (hash ${state.configHash.slice(0, 12)}), found a changed one (hash ${hash.slice(0, 12)}); start a new race instead`);
  }
  // A race stopped by its budget continues on resume, under the budget given now (a total, spend so far included).
  if (request.resumeDir !== undefined && state.stopped?.startsWith('budget') === true) {
    state = { ...state, stopped: null, finished: false };
  }
  const modelContext: ModelContext = { cacheDir: request.cacheDir, noCache: request.noCache, env: request.env, experimentFile: file };
  const plan = await createRunPlan(prepared.raceLoaded, modelContext);
  const resume = request.resumeDir === undefined ? null : await prepareResume(request.resumeDir);
  const runDir = request.resumeDir ?? createRunDirectory({ out: request.out, runsDir: request.runsDir, experiment: prepared.loaded.experiment.name, now: request.now() });
  const done = new Set(resume?.doneIndices ?? []);
  let manifest: RunManifest = previous
    ? { ...previous, status: 'running', resumedAt: [...previous.resumedAt, request.now().toISOString()], finishedAt: null }
    : newRunManifest({ experiment: prepared.loaded.experiment.name, experimentFile: file, config: prepared.config, seed: prepared.loaded.experiment.seed, shard: null, planned: plan.size, gridSize: plan.size, startedAt: request.now() });
  writeManifest(runDir, manifest);
  writeRaceState(runDir, state);

  const spentBefore = state.spentUsd;
  const budget = request.budgetUsd ?? Infinity;
  const concurrency = request.concurrency ?? plan.concurrency;
  let interrupted = false;
  while (!state.finished && state.roundsDone < state.schedule.length) {
    const round = state.roundsDone;
    const from = round === 0 ? 0 : (state.schedule[round - 1] as number);
    const to = state.schedule[round] as number;
    const racing = state.candidates.filter((c) => c.status === 'racing');
    const running = racing.filter((c) => state.active === null || state.active.includes(c.name));
    const indices = running.flatMap((c) => candidateIndices(prepared, c.index, from, to)).sort((a, b) => a - b);
    const todo = indices.filter((i) => !done.has(i));
    // Paid models: run in chunks of `concurrency` and never start one whose estimated cost would pass the budget. A
    // race with no conversation yet runs one alone first, to measure what a conversation costs.
    for (let start = 0; start < todo.length && !interrupted && state.stopped === null; ) {
      const chunk = budget === Infinity ? todo.length : done.size === 0 ? 1 : Math.max(1, concurrency);
      const part = todo.slice(start, start + chunk);
      start += part.length;
      const spent = spentBefore + spentNow(plan);
      const perConversation = done.size > 0 ? spent / done.size : 0;
      if (spent + perConversation * part.length > budget) {
        state.stopped = `budget: $${spent.toFixed(2)} spent of $${budget.toFixed(2)}; the next ${part.length} conversations would cost about $${(perConversation * part.length).toFixed(2)}`;
        break;
      }
      const result = await executeRun({ plan, runDir, indices: part, alreadyDone: done.size, concurrency, signal: request.signal, progress: request.progress, threads: { count: request.threads ?? 1, loaded: prepared.raceLoaded, modelContext } });
      for (const index of part) done.add(index);
      state.spentUsd = spentBefore + spentNow(plan);
      if (result.interrupted) interrupted = true;
    }
    if (interrupted || state.stopped !== null) break;
    const records = await readConversations(runDir);
    const evidence = evidenceFromRecords(records, prepared.level.level, prepared.level.z, prepared.byConstruction);
    for (const c of running) c.repetitions = to;
    const eliminated = mode === 'race' ? decideRound(evidence, racing.map((c) => c.name), prepared.tune.constraints, prepared.tune.objective) : [];
    for (const e of eliminated) {
      const c = state.candidates.find((x) => x.name === e.candidate);
      if (c) Object.assign(c, { status: e.status, leftInRound: round + 1, reason: e.reason });
    }
    state.history.push({ round: round + 1, repetitions: to, racing: racing.length, running: running.length, conversations: todo.length, eliminated: eliminated.map((e) => ({ ...e })) });
    state.roundsDone = round + 1;
    // One candidate left (or none): nothing remains to compare, and more repetitions would only narrow its intervals.
    const left = state.candidates.filter((c) => c.status === 'racing');
    const settled = left.length === 1 && prepared.tune.constraints.every((k) => checkConstraint(evidence, left[0]?.name ?? '', k).verdict === 'met');
    if (state.roundsDone === state.schedule.length || left.length === 0 || settled) state.finished = true;
    else if (mode === 'race' && to >= MIN_REPETITIONS_TO_PROJECT) {
      const active = activeCandidates(evidence, left.map((c) => c.name), prepared.tune.constraints, prepared.tune.objective, prepared.tune.maxRepetitions / to);
      state.active = left.filter((c) => active.has(c.name)).map((c) => c.name);
      if (active.size === 0) {
        state.stopped = `futility after round ${round + 1}: projected to ${prepared.tune.maxRepetitions} repetitions with the intra-cluster correlation measured so far, no pending interval would settle`;
        state.finished = true;
      }
    }
    writeRaceState(runDir, state);
  }
  if (interrupted) {
    writeRaceState(runDir, state);
    manifest = { ...manifest, status: 'interrupted', counts: { completed: done.size, errored: 0 }, modelCalls: modelCallStats(plan) };
    writeManifest(runDir, manifest);
    return { runDir, prepared, state, manifest, conversations: done.size, interrupted };
  }
  if (state.stopped !== null) state.finished = true;
  writeRaceState(runDir, state);
  await finalizeRun(runDir, prepared.loaded.experiment.name, prepared.config);
  const records = await readConversations(runDir);
  const errored = records.filter((r) => r.status === 'errored').length;
  manifest = { ...manifest, status: 'complete', finishedAt: request.now().toISOString(), planned: records.length, counts: { completed: records.length, errored }, modelCalls: modelCallStats(plan) };
  writeManifest(runDir, manifest);
  return { runDir, prepared, state, manifest, conversations: records.length, interrupted: false };
}
