/**
 * Everything a race needs before it runs a conversation: the experiment with its `tune:` block checked, the
 * candidates, the experiment as the runner sees it (the candidates as its policies, maxRepetitions as its
 * repetitions), the Bonferroni level and which figures are 0 by construction for which candidate.
 */
import { InputError } from '../../common/input-error.ts';
import { loadExperiment, type LoadedExperiment } from '../../config/load-experiment.ts';
import { userTurnsOf } from '../../core/measurability-config.ts';
import { gateReader, notMeasured, RATE_FIGURES, type RateFigure } from '../../core/measurability.ts';
import { expandCandidates, type Candidate } from '../../core/tune/candidates.ts';
import { adjustedLevel, repetitionSchedule, type Level } from '../../core/tune/race.ts';
import type { Tune, TuneFigure } from '../../core/tune-schema.ts';
import { resolvedConfig } from '../run-experiment.ts';

export interface PreparedTune {
  readonly file: string;
  readonly loaded: LoadedExperiment;
  readonly tune: Tune;
  readonly candidates: readonly Candidate[];
  /** The experiment the runner runs: candidates as policies, tune.maxRepetitions as repetitions, no sweep. */
  readonly raceLoaded: LoadedExperiment;
  readonly config: ReturnType<typeof resolvedConfig>;
  readonly schedule: readonly number[];
  readonly level: Level;
  /** Why a figure is 0 by construction for a candidate (on every model), or null when it is measured. */
  readonly byConstruction: (candidate: string, figure: TuneFigure) => string | null;
}

export function prepareTune(file: string): PreparedTune {
  const loaded = loadExperiment(file);
  const { experiment } = loaded;
  const tune = experiment.tune;
  if (tune === undefined) throw InputError.one(file, 'tune', 'expected a tune: block with search, objective and constraints (docs/tune.md), found none');
  if (Object.keys(experiment.sweep).length > 0) throw InputError.one(file, 'sweep', 'expected no sweep next to tune (tune.search is the grid), found one');
  const base = tune.base === undefined ? loaded.policies[0] : loaded.policies.find((p) => p.name === tune.base);
  if (base === undefined) {
    throw InputError.one(file, 'tune.base', `expected one of the experiment's policies (${loaded.policies.map((p) => p.name).join(', ')}), found "${tune.base}"`);
  }
  const { candidates, problems } = expandCandidates(base, tune.search, tune.maxCandidates);
  if (problems.length > 0) throw new InputError(problems.map((p) => ({ file, ...p })));
  const raceLoaded: LoadedExperiment = {
    ...loaded,
    policies: candidates.map((c) => c.policy),
    experiment: { ...experiment, repetitions: tune.maxRepetitions, sweep: {} },
  };
  const config = resolvedConfig(raceLoaded);
  const schedule = repetitionSchedule(tune.initialRepetitions, tune.maxRepetitions, tune.rounds);
  const level = adjustedLevel(tune.confidence, candidates.length, schedule.length, tune.constraints.length);
  // Asked of the gate directly: the candidates' names (base[field=value]) are not policy-file names.
  const users = userTurnsOf(loaded.scenarios, loaded.personas, loaded.llmUsers);
  const notes = new Map(candidates.map((c) => [c.name, loaded.models.map((m) => notMeasured(c.policy, gateReader(m, experiment.assessment), users))]));
  const byConstruction = (candidate: string, figure: TuneFigure): string | null => {
    if (!(RATE_FIGURES as readonly string[]).includes(figure)) return null;
    const reasons = (notes.get(candidate) ?? []).map((note) => note[figure as RateFigure]);
    return reasons.length > 0 && reasons.every((r) => r !== undefined) ? (reasons[0] ?? null) : null;
  };
  return { file, loaded, tune, candidates, raceLoaded, config, schedule, level, byConstruction };
}

/** Grid indices of candidate `candidate` for repetitions [from, to), every user and model (runner grid order). */
export function candidateIndices(prepared: PreparedTune, candidate: number, from: number, to: number): number[] {
  const { raceLoaded, candidates, tune } = prepared;
  const users = raceLoaded.scenarios.length + raceLoaded.personas.length + raceLoaded.llmUsers.length;
  const models = raceLoaded.models.length;
  const out: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let m = 0; m < models; m++) {
      const start = ((u * models + m) * candidates.length + candidate) * tune.maxRepetitions;
      for (let s = from; s < to; s++) out.push(start + s);
    }
  }
  return out;
}
