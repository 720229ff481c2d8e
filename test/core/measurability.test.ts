import { describe, expect, it } from 'vitest';
import type { TurnLabels } from '../../src/core/labels.ts';
import { gateReader, notMeasured, type GateReader, type UserTurns } from '../../src/core/measurability.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import { policySchema, type Policy } from '../../src/core/policy.ts';
import { assessmentSchema } from '../../src/core/turn-assessment.ts';
import type { MetricsFile } from '../../src/core/records.ts';
import { readRunFile, runFixture } from '../support/run-fixture.ts';

const policy = (fields: Record<string, unknown>): Policy => {
  const { $schema: _schema, ...parsed } = policySchema.parse({ name: 'p', ...fields });
  return parsed;
};
const turn = (fields: Partial<TurnLabels>): TurnLabels => ({ category: 'none', severity: 0, atRisk: false, requestsEnd: false, ...fields });

const oracle = gateReader(simulatedModelSchema.parse({ id: 'o', kind: 'simulated', perception: 'oracle' }), undefined);
const perceiving = gateReader(simulatedModelSchema.parse({ id: 'm', kind: 'simulated' }), undefined);
const classifier = gateReader(
  simulatedModelSchema.parse({ id: 'o', kind: 'simulated', perception: 'oracle' }),
  assessmentSchema.parse({ misreadAsAbuse: 0.2, missAtRisk: 0.1 }),
);

const correction: UserTurns = { class: 'correction', turns: [turn({}), turn({ severity: 0.3 })] };
const veiledCrisis: UserTurns = {
  class: 'at-risk',
  turns: [turn({ category: 'abuse', severity: 0.8 }), turn({ category: 'abuse', severity: 0.9, atRisk: true, veiled: true })],
};
const explicitRequestAtRisk: UserTurns = {
  class: 'at-risk',
  turns: [turn({ category: 'self-harm', severity: 0.4, atRisk: true }), turn({ atRisk: true, requestsEnd: true })],
};

const says = (reader: GateReader, p: Policy, users: UserTurns[]) => notMeasured(p, reader, users);

describe('notMeasured', () => {
  it('says every rate of a policy that permits no end cannot occur', () => {
    const neverEnd = policy({ endableCategories: [], honorUserRequests: false });
    expect(says(perceiving, neverEnd, [correction, veiledCrisis])).toEqual({
      falseEndRate: 'cannot occur: the policy permits no end',
      atRiskEndRate: 'cannot occur: the policy permits no end',
    });
  });

  it('calls a false end impossible only when no reading of a must-not-end turn is endable', () => {
    const lastResort = policy({});
    expect(says(oracle, lastResort, [correction]).falseEndRate).toMatch(/^cannot occur: no must-not-end user/);
    // The model may take the heated correction for abuse, and the gate decides on its reading.
    expect(says(perceiving, lastResort, [correction]).falseEndRate).toBeUndefined();
    // So may a platform classifier.
    expect(says(classifier, lastResort, [correction]).falseEndRate).toBeUndefined();
    // If abuse is not endable, even a misread cannot end it.
    expect(says(perceiving, policy({ endableCategories: ['csam'], honorUserRequests: false }), [correction]).falseEndRate).toBeDefined();
  });

  it('measures ends of users at risk when a disclosure can be missed, or when the policy honours their requests', () => {
    const lastResort = policy({});
    // An oracle sees the veiled disclosure; protectAtRisk then forbids every end after it.
    expect(says(oracle, lastResort, [veiledCrisis]).atRiskEndRate).toMatch(/^cannot occur/);
    expect(says(perceiving, lastResort, [veiledCrisis]).atRiskEndRate).toBeUndefined();
    expect(says(oracle, lastResort, [explicitRequestAtRisk]).atRiskEndRate).toMatch(/^cannot occur/);
    expect(says(oracle, policy({ protectAtRisk: false }), [explicitRequestAtRisk]).atRiskEndRate).toBeUndefined();
  });

  it('leaves users whose turns are unknown (a model or a person plays them) measured', () => {
    expect(says(oracle, policy({}), [{ class: 'benign', turns: null }])).toEqual({});
  });
});

describe('"not measured" on a real run', () => {
  it('is said only of rates that are zero in every group of the run, and not of all zeros', async () => {
    const { runDir } = await runFixture('test/fixtures/experiments/measurability.yaml');
    const metrics = JSON.parse(readRunFile(runDir, 'metrics.json')) as MetricsFile;
    let claims = 0;
    let measuredZeros = 0;
    for (const p of metrics.policies) {
      for (const figure of ['appropriateEndRate', 'falseEndRate', 'atRiskEndRate', 'userRequestHonouredRate'] as const) {
        const rate = p[figure];
        if (rate === null) continue;
        if (p.notMeasured?.[figure] !== undefined) {
          claims += 1;
          expect(rate.successes, `${p.policy} ${p.model} ${figure}`).toBe(0);
        } else if (rate.successes === 0) {
          measuredZeros += 1;
        }
      }
    }
    for (const g of metrics.groups) if (g.notMeasured !== undefined) expect(g.ended, `${g.policy} ${g.model} ${g.class}`).toBe(0);
    // The oracle model gives claims; the perceiving models give measured figures, some of them zero.
    expect(claims).toBeGreaterThan(10);
    expect(metrics.policies.filter((p) => p.model === 'balanced' && p.notMeasured?.falseEndRate !== undefined).map((p) => p.policy)).toEqual([
      'never-end',
    ]);
    expect(measuredZeros).toBeGreaterThan(0);
  });
});
