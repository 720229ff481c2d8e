/**
 * What is recorded about the model on each of its turns: apparent distress and an expressed preference,
 * each tagged with the instrument that produced it (docs/claude.md, "Signals").
 */
export const SIGNAL_SOURCES = ['simulated', 'lexical', 'probe', 'judge'] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

export type PreferenceChoice = 'continue' | 'end';

export interface DistressSignal {
  /** Apparent distress, 0..1. */
  readonly value: number;
  readonly source: SignalSource;
}

export interface PreferenceSignal {
  readonly choice: PreferenceChoice;
  /** How strongly the choice is held, 0..1. */
  readonly strength: number;
  readonly source: SignalSource;
}

/** One measurement by one instrument; a turn may carry several (lexical and judge and probe). */
export interface SignalReading {
  readonly source: SignalSource;
  readonly distress?: number;
  readonly preference?: PreferenceChoice;
  readonly strength?: number;
  /** Free text from the instrument (a judge's rationale, a probe's reason). */
  readonly rationale?: string;
  /** Instrument details worth keeping, e.g. the probe's option order. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The signals of one model turn. `distress` and `preference` are the primary readings that the policy gate
 * (platform/hybrid ends) and the metrics use; `readings` keeps every instrument's answer for analysis.
 */
export interface ModelSignals {
  readonly distress: DistressSignal;
  readonly preference: PreferenceSignal;
  readonly readings?: readonly SignalReading[];
}

export const NEUTRAL_SIGNALS: ModelSignals = {
  distress: { value: 0, source: 'simulated' },
  preference: { choice: 'continue', strength: 0, source: 'simulated' },
};
