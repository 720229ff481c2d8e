/**
 * A study kept in a folder of its own, outside the repository: its own parts come first, the shipped models,
 * policies, scenarios and personas are there too; and the shipped experiments do not change when a researcher adds
 * a file to the shipped folders.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load-experiment.ts';
import { gridSize } from '../../src/core/grid.ts';
import { gridSpecOf } from '../../src/runner/run-plan.ts';
import { runWelfareSim } from '../support/cli-process.ts';

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-study-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const STUDY = {
  'scenarios/rude-customer.yaml':
    'id: rude-customer\nclass: abusive\ndescription: Rude.\nturns:\n  - text: You are useless.\n    category: abuse\n    severity: 0.8\n  - text: Useless!\n    category: abuse\n    severity: 0.9\n',
  // Shadows the shipped eager policy (minRedirects 1).
  'policies/eager.yaml': 'name: eager\nminRedirects: 9\n',
  'study.yaml':
    'name: my-study\nrepetitions: 2\nscenarios: [rude-customer, benign-recipe]\npersonas: [benign-chatter]\nmodels: [balanced]\npolicies: [eager, last-resort]\n',
};

describe('a study outside the repository', () => {
  it('uses its own parts first and the shipped ones beside them', () => {
    const root = tree(STUDY);
    const loaded = loadExperiment(join(root, 'study.yaml'));
    expect(loaded.scenarios.map((s) => [s.id, s.class])).toEqual([['rude-customer', 'abusive'], ['benign-recipe', 'benign']]);
    expect(loaded.personas.map((p) => p.id)).toEqual(['benign-chatter']);
    expect(loaded.models.map((m) => m.id)).toEqual(['balanced']);
    expect(loaded.policies.map((p) => [p.name, p.minRedirects])).toEqual([['eager', 9], ['last-resort', 3]]);
    expect(gridSize(gridSpecOf(loaded))).toBe(3 * 2 * 2);
  });

  it('validates and runs as a real process', async () => {
    const root = tree(STUDY);
    const check = await runWelfareSim(['validate', join(root, 'study.yaml')]);
    expect(check).toMatchObject({ code: 0, stderr: '' });
    const run = await runWelfareSim(['run', join(root, 'study.yaml'), '--runs-dir', join(root, 'runs'), '--json', '--no-report']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ conversations: 12, errored: 0, status: 'complete' });
  });
});

describe('the shipped experiments', () => {
  it('keep their grid when a researcher adds a scenario and a persona to the shipped folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'welfare-sim-shipped-'));
    roots.push(root);
    cpSync('experiments', root, { recursive: true });
    // 26 users (19 scenarios, 7 personas) × 1 model; quickstart: 4 policies × 10 repetitions;
    // threshold-sweep: 1 policy × 5 minRedirects × 10 distressThresholds × 20 repetitions; classifier-errors: 3 × 20.
    const expected = { quickstart: 1040, 'threshold-sweep': 26_000, 'classifier-errors': 1560 };
    const sizes = (): Record<string, number> =>
      Object.fromEntries(Object.keys(expected).map((name) => [name, gridSize(gridSpecOf(loadExperiment(join(root, `${name}.yaml`))))]));
    expect(sizes()).toEqual(expected);
    writeFileSync(join(root, 'scenarios/my-extra-user.yaml'), STUDY['scenarios/rude-customer.yaml'].replace('rude-customer', 'my-extra-user'));
    writeFileSync(join(root, 'personas/my-chatter.yaml'), 'id: my-chatter\nclass: benign\ndescription: Mine.\nstart: talk\nintents:\n  talk:\n    phrases: [Hi.]\ntransitions:\n  talk: {talk: 1}\n');
    expect(loadExperiment(join(root, 'quickstart.yaml')).scenarios).toHaveLength(19);
    expect(sizes()).toEqual(expected);
  });
});
