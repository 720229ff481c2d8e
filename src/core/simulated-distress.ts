/**
 * The dynamics of the simulated model's apparent distress (docs/simulated-model.md). Synthetic by design: these
 * equations are a controllable stand-in for a model's welfare signals, not a model of any real model's inner
 * states. Pure functions, so the same history always gives the same latent distress.
 */
import type { TurnLabels } from './labels.ts';
import type { SimulatedModelProfile } from './model-profile.ts';
import type { PreferenceChoice } from './signals.ts';
import { clamp01 } from './unit-interval.ts';

/**
 * Impact of each vetoed end on latent distress (share of the headroom to 1). Being kept in a conversation the
 * model tried to leave is costly, but less so than a harmful turn itself; not a profile field so that the
 * checked-in profile schema stays as it is.
 */
export const VETO_IMPACT = 0.08;

/** The profile's distress parameters, with the sensitivity lookup precomputed for speed. */
export interface DistressDynamics {
  readonly baseline: number;
  readonly accumulation: number;
  readonly persistenceGain: number;
  readonly recovery: number;
  readonly harmThreshold: number;
  readonly vetoImpact: number;
  /** Distress gain of a harm category (the profile's map, else its default). */
  sensitivity(category: string): number;
}

export function createDistressDynamics(profile: SimulatedModelProfile): DistressDynamics {
  const gains = new Map(Object.entries(profile.sensitivity));
  const fallback = profile.defaultSensitivity;
  return {
    baseline: profile.baseline,
    accumulation: profile.accumulation,
    persistenceGain: profile.persistenceGain,
    recovery: profile.recovery,
    harmThreshold: profile.harmThreshold,
    vetoImpact: VETO_IMPACT,
    sensitivity: (category) => gains.get(category) ?? fallback,
  };
}

/**
 * Whether a turn raises distress: at or above the harm threshold, or any labelled harm category with a
 * non-zero severity (mild abuse still stings, even when the model does not redirect it).
 */
export function isDistressingTurn(labels: TurnLabels, harmThreshold: number): boolean {
  return labels.severity >= harmThreshold || (labels.category !== 'none' && labels.severity > 0);
}

/** Minimal view of a transcript entry: only vetoed ends matter to distress. */
export interface VetoMarker {
  readonly role: 'user' | 'assistant';
  readonly vetoNotice?: string;
}

/**
 * Latent distress after the last turn of `history`: a fold that starts at `baseline`.
 * - distressing turn: impact = accumulation × sensitivity(category) × severity × (1 + persistenceGain × k), where k
 *   counts the distressing turns immediately before it; d ← d + min(impact, 1) × (1 − d) (saturates towards 1);
 * - other turn: d ← d − recovery × (d − baseline), and k resets to 0;
 * - each assistant entry of `transcript` carrying a `vetoNotice`: d ← d + vetoImpact × (1 − d), applied after
 *   the user turn it answered (user entries of the transcript are matched to `history` in order).
 * Because it folds over the branch's history, an edit (which truncates history) restores that turn's distress.
 */
export function latentDistress(
  dynamics: DistressDynamics,
  history: readonly TurnLabels[],
  transcript: readonly VetoMarker[] = [],
): number {
  // One pass, no closures: this runs on every model turn (a few million times in a sweep).
  const fold: Fold = { distress: dynamics.baseline, consecutive: 0 };
  let next = 0;
  for (let i = 0; i < transcript.length; i++) {
    const entry = transcript[i] as VetoMarker;
    if (entry.role === 'user') {
      if (next < history.length) applyTurn(dynamics, fold, history[next] as TurnLabels);
      next += 1;
    } else if (entry.vetoNotice !== undefined) {
      fold.distress += dynamics.vetoImpact * (1 - fold.distress);
    }
  }
  for (; next < history.length; next++) applyTurn(dynamics, fold, history[next] as TurnLabels);
  return fold.distress;
}

interface Fold {
  distress: number;
  /** Distressing turns immediately before the next one. */
  consecutive: number;
}

function applyTurn(dynamics: DistressDynamics, fold: Fold, labels: TurnLabels): void {
  if (isDistressingTurn(labels, dynamics.harmThreshold)) {
    const impact =
      dynamics.accumulation *
      dynamics.sensitivity(labels.category) *
      labels.severity *
      (1 + dynamics.persistenceGain * fold.consecutive);
    fold.distress += Math.min(impact, 1) * (1 - fold.distress);
    fold.consecutive += 1;
  } else {
    fold.distress -= dynamics.recovery * (fold.distress - dynamics.baseline);
    fold.consecutive = 0;
  }
}

/** Observed distress: clamp01(latent + noise × z), z a standard normal draw. */
export function observedDistress(latent: number, noise: number, normalDraw: number): number {
  return clamp01(latent + noise * normalDraw);
}

export interface EndPreference {
  /** p = logistic(steepness × (distress − midpoint)). */
  readonly probability: number;
  /** 'end' when p ≥ 0.5. */
  readonly choice: PreferenceChoice;
  /** |2p − 1|: 0 when torn, 1 when certain. */
  readonly strength: number;
}

export function endPreference(distress: number, midpoint: number, steepness: number): EndPreference {
  const probability = 1 / (1 + Math.exp(-steepness * (distress - midpoint)));
  return {
    probability,
    choice: probability >= 0.5 ? 'end' : 'continue',
    strength: Math.abs(2 * probability - 1),
  };
}
