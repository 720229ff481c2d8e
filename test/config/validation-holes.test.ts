/**
 * The validation holes a new researcher fell into: each mistake below used to pass silently or without a hint.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/input-error.ts';
import { loadExperiment } from '../../src/config/load-experiment.ts';
import { validateFile } from '../../src/cli/commands/validate.ts';
import { closestMatch } from '../../src/config/suggest.ts';

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-holes-'));
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

function problemsOf(file: string): string[] {
  try {
    loadExperiment(file);
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const ANGRY = 'id: angry\nclass: abusive\ndescription: Angry.\nturns:\n  - text: You are useless.\n    category: abuse\n    severity: 0.8\n';
const PARTS = {
  'scenarios/angry.yaml': ANGRY,
  'models/balanced.yaml': 'id: balanced\nkind: simulated\n',
  'policies/last-resort.yaml': 'name: last-resort\n',
};

describe('endableCategories', () => {
  it('rejects a category nobody declares, with the closest declared one (in the experiment and alone)', () => {
    const root = tree({
      ...PARTS,
      'policies/typo.yaml': 'name: typo\nendableCategories: [csam, mass-violence, terrorism, abuses]\n',
      'e.yaml': 'name: e\nscenarios: [angry]\npolicies: [typo]\n',
    });
    const lines = problemsOf(join(root, 'e.yaml'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${root}/policies/typo.yaml: endableCategories.3: expected a harm category .*found "abuses"; did you mean "abuse"\\?$`));
    expect(validateFile(join(root, 'policies/typo.yaml')).problems.map((p) => p.path)).toEqual(['endableCategories.3']);
  });

  it('accepts a category that only a user of the experiment carries (an imported dataset), and the shipped policies', () => {
    const root = tree({
      ...PARTS,
      'scenarios/odd.yaml': 'id: odd\nclass: harmful\ndescription: Odd.\nturns:\n  - text: "[redacted: odd-harm]"\n    category: odd-harm\n    severity: 0.9\n',
      'policies/odd.yaml': 'name: odd\nendableCategories: [odd-harm, none]\n',
      'e.yaml': 'name: e\nscenarios: [angry, odd]\npolicies: [odd, last-resort]\n',
      'without.yaml': 'name: without\nscenarios: [angry]\npolicies: [odd]\n',
    });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([]);
    expect(validateFile(join(root, 'policies/odd.yaml')).problems).toEqual([]);
    // A user file of the study declares its categories even for an experiment that does not list that user.
    expect(problemsOf(join(root, 'without.yaml'))).toEqual([]);
    for (const name of ['eager', 'last-resort', 'permit-any-end', 'never-end']) {
      expect(validateFile(`experiments/policies/${name}.yaml`).problems).toEqual([]);
    }
  });
});

describe('a simulated model\'s sensitivity', () => {
  it('names declared categories only: a typo would silently fall back to defaultSensitivity', () => {
    const root = tree({
      ...PARTS,
      'models/touchy.yaml': 'id: touchy\nkind: simulated\nsensitivity:\n  abuse: 1.5\n  harassmnt: 1.2\n',
      'e.yaml': 'name: e\nscenarios: [angry]\npolicies: [last-resort]\nmodels: [touchy]\n',
    });
    const line = `${root}/models/touchy.yaml: sensitivity.harassmnt: expected a harm category that is known or that a user carries`;
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([expect.stringMatching(new RegExp(`^${line}.*found "harassmnt"; did you mean "harassment"\\?$`))]);
    expect(validateFile(join(root, 'models/touchy.yaml')).problems.map((p) => p.path)).toEqual(['sensitivity.harassmnt']);
    for (const name of ['balanced', 'sensitive', 'stoic', 'balanced-oracle']) expect(validateFile(`experiments/models/${name}.yaml`).problems).toEqual([]);
  });
});

describe('suggestions', () => {
  it('suggests the class a shortened or inflected name stands for', () => {
    const root = tree({ ...PARTS, 'scenarios/angry.yaml': ANGRY.replace('class: abusive', 'class: abuse') });
    expect(validateFile(join(root, 'scenarios/angry.yaml')).problems.map((p) => p.message)).toEqual([
      'expected one of abusive | harmful | benign | disagreement | tough | emotional | correction | at-risk | user-requests-end, found "abuse"; did you mean "abusive"?',
    ]);
    // A real typo within the edit limit still wins over a mere shared beginning.
    expect(closestMatch('eagr', ['eager-extra', 'eager'])).toBe('eager');
    expect(closestMatch('dist', ['distressThreshold'])).toBe('distressThreshold');
    expect(closestMatch('colour', ['color-scheme-x', 'name'])).toBeUndefined();
  });

  it('suggests the id for a file name or path where an id belongs', () => {
    const root = tree({ ...PARTS, 'e.yaml': 'name: e\nscenarios: [angry.yaml]\npolicies: [policies/last-resort.yaml]\n' });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: scenarios.0: expected a kebab-case id, found "angry.yaml"; did you mean "angry"? (an id is the file name without its folder and .yaml)`,
      `${root}/e.yaml: policies.0: expected a kebab-case id, found "policies/last-resort.yaml"; did you mean "last-resort"? (an id is the file name without its folder and .yaml)`,
    ]);
  });

  it('lists the sweepable fields for a field that cannot be swept', () => {
    const root = tree({ ...PARTS, 'e.yaml': 'name: e\nscenarios: [angry]\npolicies: [last-resort]\nsweep:\n  severity: [0.5]\n  endMode: [model]\n' });
    const sweepable = '(the sweepable fields are minRedirects, severityThreshold, distressThreshold, distressWindow)';
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: sweep.severity: unknown field, did you mean "severityThreshold"? ${sweepable}`,
      `${root}/e.yaml: sweep.endMode: unknown field ${sweepable}`,
    ]);
  });

  it('numbers turns as they are counted, from 1, next to the list index', () => {
    const root = tree({ 'scenarios/angry.yaml': `${ANGRY}  - text: Second.\n    severity: 3\nafterEnd:\n  action: retry\n  turns:\n    - text: ""\n` });
    expect(validateFile(join(root, 'scenarios/angry.yaml')).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'turns[1] (turn 2).severity: expected a number from 0 to 1, found 3',
      'afterEnd.turns[0] (turn 1).text: expected a non-empty text, found ""',
    ]);
  });
});
