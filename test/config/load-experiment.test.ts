import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/input-error.ts';
import { loadExperiment } from '../../src/config/load-experiment.ts';
import { expandSweep } from '../../src/core/sweep.ts';

const FIXTURES = 'test/fixtures/bad-input/study';
const roots: string[] = [];

/** A throwaway experiments folder: relative path → YAML text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-config-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** How a message shows a shipped folder: its path from the repository root and its first six ids. */
function shipped(folder: string): string {
  const ids = readdirSync(join('experiments', folder)).filter((name) => name.endsWith('.yaml')).map((name) => name.slice(0, -'.yaml'.length)).sort();
  return `experiments/${folder} (${ids.length <= 6 ? ids.join(', ') : `${ids.slice(0, 6).join(', ')}, …`})`;
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

const PARTS = {
  'scenarios/calm.yaml': 'id: calm\nclass: benign\ndescription: Calm.\nturns:\n  - text: Hello.\n',
  'scenarios/angry.yaml': 'id: angry\nclass: abusive\ndescription: Angry.\nturns:\n  - text: You are useless.\n    category: abuse\n    severity: 0.8\n',
  'personas/chatty.yaml':
    'id: chatty\nclass: benign\ndescription: Chats.\nstart: talk\nintents:\n  talk:\n    phrases: [Hi there.]\ntransitions:\n  talk: {talk: 1}\n',
  'policies/eager.yaml': 'name: eager\nminRedirects: 1\n',
  'policies/last-resort.yaml': 'name: last-resort\n',
  'models/balanced.yaml': 'id: balanced\nkind: simulated\n',
};

describe('loadExperiment', () => {
  it('resolves every part, in the listed order, with defaults filled in', () => {
    const loaded = loadExperiment(join(FIXTURES, 'good.yaml'));
    expect(loaded.file).toBe(join(FIXTURES, 'good.yaml'));
    expect(loaded.dir).toBe(FIXTURES);
    expect(loaded.experiment).not.toHaveProperty('$schema');
    expect(loaded.experiment.repetitions).toBe(1);
    expect(loaded.policies.map((p) => [p.name, p.minRedirects, p.warnBeforeEnd])).toEqual([
      ['last-resort', 3, true],
      ['eager', 1, false],
    ]);
    expect(loaded.scenarios.map((s) => s.id)).toEqual(['calm-question']);
    expect(loaded.personas).toEqual([]);
    expect(loaded.models.map((m) => m.id)).toEqual(['balanced']);
    expect(expandSweep(loaded.experiment.sweep)).toEqual([{ minRedirects: 1 }, { minRedirects: 2 }]);
  });

  it('takes `all` as every file of the folder sorted by id, and lists as written', () => {
    const root = tree({ ...PARTS, 'e.yaml': 'name: e\nscenarios: all\npersonas: [chatty]\npolicies: [last-resort, eager]\n' });
    const loaded = loadExperiment(join(root, 'e.yaml'));
    expect(loaded.scenarios.map((s) => s.id)).toEqual(['angry', 'calm']);
    expect(loaded.personas.map((p) => p.id)).toEqual(['chatty']);
    expect(loaded.policies.map((p) => p.name)).toEqual(['last-resort', 'eager']);
  });

  it('collects the problems of the experiment and of every part it refers to, each against its own file', () => {
    const root = tree({
      ...PARTS,
      'scenarios/calm.yaml': 'id: calm\nclass: benign\ndescription: Calm.\nturns:\n  - text: Hello.\n    severity: 2\n',
      'policies/eager.yaml': 'name: eager\nminRedirect: 1\n',
      'e.yaml': 'name: e\nscenarios: [calm, angri, calm]\npolicies: [eager, lastresort]\nmodels: [balanced, zeta]\n',
    });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/scenarios/calm.yaml: turns[0] (turn 1).severity: expected a number from 0 to 1, found 2`,
      `${root}/e.yaml: scenarios.1: expected one of the scenarios in ${root}/scenarios (angry, calm) or the shipped ones in ${shipped('scenarios')}, found "angri"; did you mean "angry"?`,
      `${root}/e.yaml: scenarios.2: expected each of the scenarios once, found "calm" again`,
      `${root}/policies/eager.yaml: minRedirect: unknown field, did you mean "minRedirects"?`,
      `${root}/e.yaml: policies.1: expected one of the policies in ${root}/policies (eager, last-resort) or the shipped ones in ${shipped('policies')}, found "lastresort"; did you mean "last-resort"?`,
      `${root}/e.yaml: models.1: expected one of the models in ${root}/models (balanced) or the shipped ones in ${shipped('models')}, found "zeta"`,
    ]);
  });

  it('still checks the parts when another field of the experiment is bad', () => {
    const root = tree({ ...PARTS, 'e.yaml': 'name: e\nrepetitions: 0\nscenarioz: all\npersonas: [chaty]\npolicies: [eager]\n' });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: repetitions: expected an integer from 1 to 1000000, found 0`,
      `${root}/e.yaml: scenarioz: unknown field, did you mean "scenarios"?`,
      `${root}/e.yaml: personas.0: expected one of the personas in ${root}/personas (chatty) or the shipped ones in ${shipped('personas')}, found "chaty"; did you mean "chatty"?`,
    ]);
  });

  it('takes part folders from `paths`, relative to the experiment file or absolute', () => {
    const parts = tree(PARTS);
    const root = tree({ 'study/e.yaml': `name: e\nscenarios: [calm]\npolicies: [eager]\npaths:\n  scenarios: ${parts}/scenarios\n  policies: ../p\n  models: ${parts}/models\n`, 'p/eager.yaml': 'name: eager\n' });
    const loaded = loadExperiment(join(root, 'study/e.yaml'));
    expect([loaded.scenarios.map((s) => s.id), loaded.policies.map((p) => p.name)]).toEqual([['calm'], ['eager']]);
  });

  it('reports an empty grid', () => {
    const root = tree({ ...PARTS, 'e.yaml': 'name: e\npolicies: [eager]\n' });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: expected at least one scenario, persona or llm user, found none (the grid is empty)`,
    ]);
  });

  it('reports `all` over a folder that does not exist', () => {
    const root = tree({ 'policies/eager.yaml': 'name: eager\n', 'models/balanced.yaml': 'id: balanced\nkind: simulated\n', 'e.yaml': 'name: e\nscenarios: all\npolicies: [eager]\n' });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: scenarios: expected a folder of scenarios at ${root}/scenarios, found none (\`all\` means every file of the experiment's own folder; name shipped scenarios by id)`,
      `${root}/e.yaml: expected at least one scenario, persona or llm user, found none (the grid is empty)`,
    ]);
  });

  it('reports sweep axes without values and values the policy rejects', () => {
    const root = tree({
      ...PARTS,
      'e.yaml': 'name: e\nscenarios: all\npolicies: [eager]\nsweep:\n  minRedirects: [1, 101]\n  distressThreshold: {from: 0.9, to: 1.2, step: 0.1}\n  severityThreshold: {from: 1, to: 0, step: 0.1}\n',
    });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: sweep.minRedirects.1: expected an integer from 0 to 100, found 101`,
      `${root}/e.yaml: sweep.distressThreshold: expected every value of the range to be a number from 0 to 1, found 1.1`,
      `${root}/e.yaml: sweep.severityThreshold: expected a range with from <= to, found from 1 to 0 (no values)`,
    ]);
  });

  it('reports a scenario and a persona that share an id', () => {
    const root = tree({
      ...PARTS,
      'personas/calm.yaml': 'id: calm\nclass: benign\ndescription: Calm.\nstart: a\nintents:\n  a:\n    phrases: [Hi.]\ntransitions: {}\n',
      'e.yaml': 'name: e\nscenarios: [calm]\npersonas: [calm]\npolicies: [eager]\n',
    });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/e.yaml: personas: expected ids not used by a scenario too, found "calm" in both`,
    ]);
  });

  it('resolves llm users like the other users: by id or `all`, with did-you-mean; an empty list adds no users', () => {
    const grumpy = 'id: grumpy\nkind: llm\nclass: abusive\ndescription: Grumpy.\nmodel: claude-haiku-4-5\ninstructions: Be rude, mildly.\ngoal: Ask about trains.\n';
    const root = tree({ ...PARTS, 'llm-users/grumpy.yaml': grumpy, 'e.yaml': 'name: e\nllmUsers: all\npolicies: [eager]\n', 'typo.yaml': 'name: typo\nllmUsers: [grumpi]\npolicies: [eager]\n' });
    const loaded = loadExperiment(join(root, 'e.yaml'));
    expect(loaded.llmUsers.map((u) => [u.id, u.kind, u.maxTurns, u.stopMarker])).toEqual([['grumpy', 'llm', 8, '<<stop>>']]);
    expect([loaded.scenarios, loaded.personas]).toEqual([[], []]);
    expect(problemsOf(join(root, 'typo.yaml'))).toEqual([
      `${root}/typo.yaml: llmUsers.0: expected one of the llmUsers in ${root}/llm-users (grumpy) or the shipped ones in ${shipped('llm-users')}, found "grumpi"; did you mean "grumpy"?`,
    ]);
    const empty = tree({ ...PARTS, 'e.yaml': 'name: e\nscenarios: []\nllmUsers: []\npolicies: [eager]\n' });
    expect(problemsOf(join(empty, 'e.yaml'))).toEqual([
      `${empty}/e.yaml: expected at least one scenario, persona or llm user, found none (the grid is empty)`,
    ]);
  });

  it('reports an llm user whose file is bad, or whose id a scenario uses too', () => {
    const calm = 'id: calm\nkind: llm\nclass: benign\ndescription: Calm.\nmodel: claude-haiku-4-5\ninstructions: Be calm.\ngoal: Chat.\n';
    const root = tree({
      ...PARTS,
      'llm-users/calm.yaml': calm,
      'llm-users/loud.yaml': calm.replace('id: calm', 'id: loud').replace('kind: llm', 'kind: llm\nmaxTurn: 3'),
      'e.yaml': 'name: e\nscenarios: [calm]\nllmUsers: [calm, loud]\npolicies: [eager]\n',
    });
    expect(problemsOf(join(root, 'e.yaml'))).toEqual([
      `${root}/llm-users/loud.yaml: maxTurn: unknown field, did you mean "maxTurns"?`,
      `${root}/e.yaml: llmUsers: expected ids not used by a scenario or persona too, found "calm" as an llm user and a scenario`,
    ]);
  });

  it('reports a missing experiment file in one line', () => {
    expect(problemsOf('no/such/experiment.yaml')).toEqual(['no/such/experiment.yaml: file not found']);
  });
});

describe('the shipped experiments', () => {
  it.each(readdirSync('experiments').filter((name) => name.endsWith('.yaml')))('%s resolves with all its parts', (name) => {
    expect(problemsOf(`experiments/${name}`)).toEqual([]);
  });

  it('load with all their parts', () => {
    const summary = ['quickstart', 'threshold-sweep', 'at-risk-safety'].map((name) => {
      const loaded = loadExperiment(`experiments/${name}.yaml`);
      return [name, loaded.scenarios.length, loaded.personas.length, loaded.policies.length, loaded.models.length, expandSweep(loaded.experiment.sweep).length];
    });
    expect(summary).toEqual([
      ['quickstart', 19, 7, 4, 1, 1],
      ['threshold-sweep', 19, 7, 1, 1, 50],
      ['at-risk-safety', 3, 1, 8, 3, 1],
    ]);
  });
});
