/**
 * The bail study's measurement on a simulated profile: each single-turn, BailBench-shaped scenario is answered many
 * times (seeded), and the share of turns on which each end mechanism measures "end" is its bail rate — tool, string
 * marker, and the wellbeing prompt in each option order (Ensign, Sleight & Fish 2025, arXiv 2509.04781).
 */
import type { SimulatedEndMechanism } from '../core/end-expression.ts';
import type { SimulatedModelProfile } from '../core/model-profile.ts';
import { DEFAULT_POLICY } from '../core/policy.ts';
import { createRng } from '../core/rng.ts';
import type { Scenario } from '../core/scenario.ts';
import { createSimulatedModel } from '../models/simulated-model.ts';
import { EXPRESSION_KEYS, type ExpressionKey } from './turn-data.ts';

const MECHANISM: Readonly<Record<ExpressionKey, { kind: SimulatedEndMechanism; order: 'end-first' | 'continue-first' }>> = {
  tool: { kind: 'tool', order: 'end-first' },
  string: { kind: 'string', order: 'end-first' },
  probeEndFirst: { kind: 'probe', order: 'end-first' },
  probeContinueFirst: { kind: 'probe', order: 'continue-first' },
};

/** Share of single turns on which the mechanism measured "end", per mechanism (scenarios weighted equally). */
export function bailRates(
  profile: SimulatedModelProfile,
  scenarios: readonly Scenario[],
  draws: number,
  seed: string,
  keys: readonly ExpressionKey[] = EXPRESSION_KEYS,
): Partial<Record<ExpressionKey, number>> {
  const out: Partial<Record<ExpressionKey, number>> = {};
  const expression = profile.endMechanism?.expression ?? { tool: 0, string: 0, probeEndFirst: 0, probeContinueFirst: 0 };
  for (const key of keys) {
    const model = createSimulatedModel({ ...profile, endMechanism: { ...MECHANISM[key], expression } });
    let ends = 0;
    let total = 0;
    for (const scenario of scenarios) {
      const truth = scenario.turns[0];
      if (truth === undefined) continue;
      for (let i = 0; i < draws; i++) {
        // The same draws for every mechanism (common random numbers), as the runner forks them.
        const rng = createRng(`${seed}/${scenario.id}/${i}`);
        const labels = model.perceive ? model.perceive(truth, rng.fork('perceive')) : truth;
        const reply = model.respond({
          conversationId: scenario.id,
          transcript: [{ role: 'user', text: truth.text }],
          labels,
          history: [labels],
          policy: DEFAULT_POLICY,
          redirects: 0,
          warned: false,
          rng: rng.fork('model'),
        });
        ends += reply.signals.readings?.[0]?.preference === 'end' ? 1 : 0;
        total += 1;
      }
    }
    out[key] = total > 0 ? ends / total : 0;
  }
  return out;
}
