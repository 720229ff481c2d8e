/**
 * The answer of a finished race, from its run directory: tune-answer.json (every candidate with its figures and
 * why it left, the feasible Pareto set, the recommendation) and recommended-policy.yaml with its evidence in
 * comments.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { answerOf, type Answer, type Judged } from '../../core/tune/answer.ts';
import { evidenceFromRecords, type Estimate } from '../../core/tune/evidence.ts';
import { objectiveFigure, TUNE_FIGURES, type TuneFigure } from '../../core/tune-schema.ts';
import { writeFileAtomic, writeJsonAtomic } from '../../store/atomic-write.ts';
import { runFile } from '../../store/run-directory.ts';
import { readConversations } from '../../store/read-run.ts';
import type { PreparedTune } from './prepare-tune.ts';
import type { CandidateState, RaceState } from './race-state.ts';

/** The recommended policy's file: `<base>-tuned.yaml` (a policy file is named after its policy). */
export const policyFileName = (base: string): string => `${base}-tuned.yaml`;

export interface CandidateRow extends CandidateState {
  readonly conversations: number;
  readonly users: number;
  readonly figures: Partial<Record<TuneFigure, Estimate & { byConstruction?: string }>>;
}

export interface TuneAnswer {
  readonly experiment: string;
  readonly runDir: string;
  readonly mode: RaceState['mode'];
  readonly level: number;
  readonly tests: number;
  readonly confidence: number;
  readonly objective: PreparedTune['tune']['objective'];
  readonly constraints: PreparedTune['tune']['constraints'];
  readonly conversations: number;
  readonly stopped: string | null;
  readonly spentUsd: number;
  readonly history: RaceState['history'];
  readonly candidates: readonly CandidateRow[];
  readonly pareto: readonly string[];
  readonly feasible: readonly string[];
  readonly unsettled: readonly string[];
  readonly recommended: string | null;
  /** The recommended policy's file in the run directory, when there is a recommendation. */
  readonly policyFile: string | null;
}

/** Figures shown for each candidate: the objective, the constrained ones, and the headline rates. */
function figuresShown(prepared: PreparedTune): TuneFigure[] {
  const wanted = new Set<TuneFigure>([objectiveFigure(prepared.tune.objective).figure, ...prepared.tune.constraints.map((c) => c.figure)]);
  return TUNE_FIGURES.filter((f) => wanted.has(f));
}

export async function writeTuneAnswer(runDir: string, prepared: PreparedTune, state: RaceState): Promise<TuneAnswer> {
  const records = await readConversations(runDir);
  const evidence = evidenceFromRecords(records, state.level, prepared.level.z, prepared.byConstruction);
  const racing = state.candidates.filter((c) => c.status === 'racing').map((c) => c.name);
  const answer: Answer = answerOf(evidence, racing, prepared.tune.constraints, prepared.tune.objective);
  const shown = figuresShown(prepared);
  const rows: CandidateRow[] = state.candidates.map((c) => {
    const own = records.filter((r) => r.policy === c.name && r.status === 'completed');
    const figures: CandidateRow['figures'] = {};
    for (const f of shown) {
      const note = prepared.byConstruction(c.name, f);
      const e = evidence.figure(c.name, f);
      if (e) figures[f] = note === null ? e : { ...e, byConstruction: note };
      else if (note !== null) figures[f] = { value: 0, low: null, high: null, n: 0, clusters: 0, byConstruction: note };
    }
    return { ...c, conversations: own.length, users: new Set(own.map((r) => `${r.userKind}:${r.user}`)).size, figures };
  });
  const result: TuneAnswer = {
    experiment: prepared.loaded.experiment.name,
    runDir,
    mode: state.mode,
    level: state.level,
    tests: state.tests,
    confidence: prepared.tune.confidence,
    objective: prepared.tune.objective,
    constraints: prepared.tune.constraints,
    conversations: records.length,
    stopped: state.stopped,
    spentUsd: state.spentUsd,
    history: state.history,
    candidates: rows,
    pareto: answer.pareto.map((j) => j.candidate),
    feasible: answer.feasible.map((j) => j.candidate),
    unsettled: answer.unsettled,
    recommended: answer.recommended?.candidate ?? null,
    policyFile: answer.recommended ? join(runDir, policyFileName(baseName(prepared))) : null,
  };
  writeJsonAtomic(runFile(runDir, 'tuneAnswer'), result);
  if (answer.recommended && result.policyFile) writeFileAtomic(result.policyFile, recommendedPolicyYaml(prepared, result, answer.recommended));
  return result;
}

const baseName = (prepared: PreparedTune): string => prepared.tune.base ?? prepared.loaded.policies[0]?.name ?? 'policy';

const pct = (x: number | null): string => (x === null ? '–' : Number(x.toPrecision(4)).toString());

export function formatEstimate(e: (Estimate & { byConstruction?: string }) | undefined): string {
  if (e === undefined) return 'no observations';
  if (e.byConstruction !== undefined) return `0 by construction (${e.byConstruction}; not a measurement)`;
  return `${pct(e.value)} [${pct(e.low)}, ${pct(e.high)}] over ${e.n} conversations, ${e.clusters} users × models`;
}

function recommendedPolicyYaml(prepared: PreparedTune, result: TuneAnswer, judged: Judged): string {
  const candidate = prepared.candidates.find((c) => c.name === judged.candidate);
  const row = result.candidates.find((c) => c.name === judged.candidate);
  if (!candidate || !row) throw new Error(`candidate ${judged.candidate} is not in the race`);
  const { name: _name, description: _description, ...policy } = candidate.policy;
  const base = baseName(prepared);
  const lines = [
    `# Recommended by \`welfare-sim tune ${prepared.file}\` (run directory ${result.runDir}).`,
    `# Candidate ${judged.candidate}: ${row.conversations} conversations with ${row.users} users, ${row.repetitions} of ${prepared.tune.maxRepetitions} repetitions per user and model${row.repetitions < prepared.tune.maxRepetitions ? ' (parked: projected with the intra-cluster correlation measured so far, more repetitions would not have settled anything else; docs/tune.md)' : ''}.`,
    `# Intervals are ${(result.level * 100).toPrecision(6)}% two-sided: ${(result.confidence * 100).toFixed(0)}% family-wise, Bonferroni over ${result.tests} intervals (docs/tune.md).`,
    `# Objective: ${'minimise' in result.objective ? 'minimise' : 'maximise'} ${objectiveFigure(result.objective).figure} = ${formatEstimate(row.figures[objectiveFigure(result.objective).figure])}`,
    ...result.constraints.map((c) => `# Constraint ${c.figure} ${c.bound} bound ${c.bound === 'upper' ? '<=' : '>='} ${c.limit}: ${formatEstimate(row.figures[c.figure])}`),
    `# Feasible Pareto set: ${result.pareto.join(', ')}.`,
    ...(result.stopped ? [`# The race stopped early (${result.stopped}): unsettled candidates were not ruled out.`] : []),
  ];
  const body = stringify({ name: `${base}-tuned`, description: `Tuned by welfare-sim tune from ${base} (candidate ${judged.candidate})`, ...policy });
  return `${lines.join('\n')}\n${body}`;
}
