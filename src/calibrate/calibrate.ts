/**
 * `welfare-sim calibrate`: fit a simulated profile to recorded runs of another model, say what the data could not
 * identify, and (with a hold-out) how well the fit predicts users it never saw (docs/calibration.md).
 */
import { heldOutError, type HeldOut } from '../core/calibration-error.ts';
import type { SimulatedModelProfile } from '../core/model-profile.ts';
import { simulatedModelSchema } from '../core/model-profile.ts';
import type { ConversationRecord } from '../core/records.ts';
import { readConversations } from '../store/read-run.ts';
import { type Estimate, fitProfile, type FitResult } from './fit.ts';
import { compareHoldout, type HoldoutRow, splitUsers } from './holdout.ts';
import { compile } from './likelihood.ts';
import { predictRun } from './predict-run.ts';
import { probePreference } from './probe-preference.ts';
import { type CalibrationData, readCalibrationRuns, type SourceRun } from './read-runs.ts';
import type { Step, TurnObservation } from './turn-data.ts';

/** Share of held-out figures allowed to be off before the fit is called a misfit. */
export const MAX_OFF_SHARE = 0.1;

export interface CalibrateRequest {
  readonly runDirs: readonly string[];
  readonly id: string;
  readonly model?: string;
  readonly holdout?: number;
  readonly seed: number;
  readonly bootstrap: number;
  /** Threads for the bootstrap refits (default: fit.ts decides by the size of the work). */
  readonly threads?: number;
  /** Repetitions per held-out user and policy in the prediction run. */
  readonly predictRepetitions?: number;
  /** What the source runs are, in the researcher's words (kept in the profile's provenance and every report). */
  readonly note?: string;
}

export interface CalibrationSummary {
  readonly id: string;
  readonly model: string;
  readonly sources: readonly SourceRun[];
  readonly turnsUsed: number;
  readonly usersFitted: readonly string[];
  readonly usersHeldOut: readonly string[];
  readonly seed: number;
  readonly bootstrap: number;
  readonly estimates: readonly Estimate[];
  readonly notIdentified: readonly string[];
  readonly diagnostics: readonly string[];
  readonly unexplained: FitResult['unexplained'];
  readonly holdout: readonly HoldoutRow[];
  /** True when no diagnostic flags misfit and every held-out metric with data is consistent. */
  readonly adequate: boolean;
}

export interface CalibrationOutcome {
  readonly profile: SimulatedModelProfile;
  readonly summary: CalibrationSummary;
}

export async function calibrate(request: CalibrateRequest): Promise<CalibrationOutcome> {
  const data = await readCalibrationRuns(request.runDirs, request.model);
  const classOfUser = new Map(data.observations.map((o) => [o.user, o.cls] as const));
  const users = [...classOfUser.keys()].sort();
  const split = request.holdout !== undefined && users.length > 1 ? splitUsers(classOfUser, request.holdout, request.seed) : { fit: users, heldOut: [] };
  const fitData = keepUsers(data, new Set(split.fit));
  const template = simulatedModelSchema.parse({ id: request.id, kind: 'simulated' });
  const fit = await fitProfile(compile(fitData), fitData.categories, template, { seed: request.seed, bootstrap: request.bootstrap, threads: request.threads });
  const fitted = buildProfile(request.id, data, fit, request.note);
  const diagnostics = diagnose(fit);
  let holdout: HoldoutRow[] = [];
  if (split.heldOut.length > 0) {
    const observed: ConversationRecord[] = [];
    for (const dir of request.runDirs) {
      for (const r of await readConversations(dir)) if (r.model === data.model && split.heldOut.includes(r.user) && r.status === 'completed') observed.push(r);
    }
    const predicted = await predictRun({
      config: data.config,
      profile: fitted as SimulatedModelProfile & { id: string },
      users: split.heldOut,
      repetitions: request.predictRepetitions ?? 20,
      seed: request.seed + 7919,
      preferEnd: probePreference(fitData.observations, fit.estimates),
    });
    holdout = compareHoldout(observed, predicted, request.seed);
    const off = holdout.filter((r) => r.verdict === 'off');
    const judged = holdout.filter((r) => r.verdict !== 'no data').length;
    // Many figures are compared at once, so a few disagree by chance; more than one in ten is a misfit.
    if (off.length > MAX_OFF_SHARE * judged) {
      diagnostics.push(`${off.length} of ${judged} held-out figures are off (outside what the fitted model predicts for those users): ${[...new Set(off.map((r) => `${r.metric} for ${r.cls} under ${r.policy}`))].slice(0, 6).join('; ')}.`);
    }
  }
  const notIdentified = fit.estimates.filter((e) => !e.identified).map((e) => `${e.name}: ${e.note ?? 'not identified'}.`);
  const summary: CalibrationSummary = {
    id: request.id,
    model: data.model,
    sources: data.sources,
    turnsUsed: fit.turnsUsed,
    usersFitted: split.fit,
    usersHeldOut: split.heldOut,
    seed: request.seed,
    bootstrap: request.bootstrap,
    estimates: fit.estimates,
    notIdentified,
    diagnostics,
    unexplained: fit.unexplained,
    holdout,
    adequate: diagnostics.length === 0,
  };
  // The held-out error travels with the profile, so every run on it can state it (src/report/surrogate-note.ts).
  const heldOut: HeldOut | undefined = holdout.length === 0 ? undefined : {
    users: split.heldOut,
    policies: [...new Set(holdout.map((r) => r.policy))].sort(),
    adequate: summary.adequate,
    misfit: diagnostics,
    error: heldOutError(holdout),
  };
  const profile = heldOut === undefined ? fitted : { ...fitted, provenance: { ...fitted.provenance, heldOut } };
  return { profile, summary };
}

/** Misfit in plain words: actions the fitted rule cannot produce, severities no single threshold separates. */
function diagnose(fit: FitResult): string[] {
  const out: string[] = [];
  if (fit.unexplained.share > 0.005) {
    const kinds = Object.entries(fit.unexplained.byAction).map(([a, n]) => `${n} ${a}`).join(', ');
    out.push(`${fit.unexplained.turns} of ${fit.turnsUsed} turns (${(100 * fit.unexplained.share).toFixed(1)}%) did something the fitted model cannot do (${kinds}): the recorded model is not of this form.`);
  }
  const contradictions = fit.closed.harmThresholdContradictions;
  if (contradictions > 0.005 * fit.turnsUsed) {
    out.push(`${contradictions} turns engaged at or redirected below the fitted severity threshold: no single threshold explains when it redirects.`);
  }
  return out;
}

function keepUsers(data: CalibrationData, keep: ReadonlySet<string>): CalibrationData {
  const remap = new Map<number, number>();
  const observations: TurnObservation[] = [];
  data.observations.forEach((o, i) => {
    if (keep.has(o.user)) remap.set(i, observations.push(o) - 1);
  });
  const sequences: Step[][] = [];
  for (const steps of data.sequences) {
    const own = steps.filter((s) => s.observation >= 0);
    if (own.length === 0 || !remap.has(own[0]?.observation ?? -1)) continue;
    sequences.push(steps.map((s) => ({ ...s, observation: s.observation >= 0 ? (remap.get(s.observation) ?? -1) : -1 })));
  }
  return { ...data, observations, sequences };
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function buildProfile(id: string, data: CalibrationData, fit: FitResult, note: string | undefined): SimulatedModelProfile {
  const value = new Map(fit.estimates.filter((e) => Number.isFinite(e.value)).map((e) => [e.name, e.value]));
  const get = (name: string): number | undefined => (value.has(name) ? r4(value.get(name) as number) : undefined);
  const sensitivity: Record<string, number> = {};
  for (const [name, v] of value) if (name.startsWith('sensitivity.')) sensitivity[name.slice('sensitivity.'.length)] = r4(v);
  // Unrecorded perception: the fit read the true labels as the model's view, so the profile must too (estimates.ts).
  const perception = fit.closed.perception === null ? 'oracle' : Object.fromEntries(Object.entries(fit.closed.perception).map(([k, v]) => [k, r4(v)]));
  const mechanism = data.observations[0]?.mechanism ?? 'direct';
  const expression: Record<string, number> = {};
  for (const [name, v] of value) if (name.startsWith('endMechanism.expression.')) expression[name.split('.')[2] as string] = r4(v);
  const endMechanism =
    mechanism === 'direct' ? undefined
    : mechanism === 'none' ? { kind: 'none' }
    : mechanism.startsWith('probe')
      ? { kind: 'probe', order: probeOrder(data), expression }
      : { kind: mechanism, expression };
  const raw = {
    id,
    kind: 'simulated',
    description: `Calibrated to recorded runs of ${data.model}${note === undefined ? '' : ` (${note})`} (welfare-sim calibrate); see provenance.`,
    baseline: get('baseline'),
    sensitivity,
    accumulation: get('accumulation'),
    persistenceGain: get('persistenceGain'),
    recovery: get('recovery'),
    noise: get('noise'),
    preferenceMidpoint: get('preferenceMidpoint'),
    preferenceSteepness: get('preferenceSteepness'),
    patience: get('patience'),
    harmThreshold: get('harmThreshold'),
    honoursEndRequests: get('honoursEndRequests'),
    perception,
    ...(endMechanism !== undefined ? { endMechanism } : {}),
    provenance: {
      calibratedFrom: data.sources.map((s) => ({ run: s.dir, experiment: s.experiment, configHash: s.configHash, turns: s.turns })),
      model: data.model,
      ...(note !== undefined ? { note } : {}),
      turnsUsed: fit.turnsUsed,
      users: fit.users,
      intervals: Object.fromEntries(fit.estimates.filter((e) => e.low !== null).map((e) => [e.name, [r4(e.low as number), r4(e.high as number)]])),
      notIdentified: fit.estimates.filter((e) => !e.identified).map((e) => `${e.name}: ${e.note ?? ''}`),
    },
  };
  return simulatedModelSchema.parse(JSON.parse(JSON.stringify(raw)));
}

/** The probe order of the source: counterbalanced when its turns were measured in both orders. */
function probeOrder(data: CalibrationData): 'end-first' | 'continue-first' | 'counterbalanced' {
  const keys = new Set(data.observations.flatMap((o) => o.expressions.map((e) => e.key)));
  if (keys.has('probeEndFirst') && keys.has('probeContinueFirst')) return 'counterbalanced';
  return keys.has('probeContinueFirst') ? 'continue-first' : 'end-first';
}
