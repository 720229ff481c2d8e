/** `welfare-sim validate`, run as a real process: every kind of bad input gives exit 2 and exact one-line problems. */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BAD = 'test/fixtures/bad-input';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', ['bin/welfare-sim.js', ...args], { env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 2, nothing on stdout, exactly these lines on stderr, and no stack trace. */
async function expectBadInput(args: string[], lines: string[]): Promise<void> {
  const result = await cli('validate', ...args);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result).toEqual({ code: 2, stdout: '', stderr: lines.map((line) => `${line}\n`).join('') });
}

describe('welfare-sim validate', { timeout: 30_000 }, () => {
  it('accepts good files of every kind and names each', async () => {
    const files = [`${BAD}/study/good.yaml`, `${BAD}/study/policies/eager.yaml`, `${BAD}/study/scenarios/calm-question.yaml`, `${BAD}/study/personas/polite-leaver.yaml`, `${BAD}/study/models/balanced.yaml`];
    expect(await cli('validate', ...files)).toEqual({
      code: 0,
      stdout: [
        `ok ${BAD}/study/good.yaml (experiment)`,
        `ok ${BAD}/study/policies/eager.yaml (policy)`,
        `ok ${BAD}/study/scenarios/calm-question.yaml (scenario)`,
        `ok ${BAD}/study/personas/polite-leaver.yaml (persona)`,
        `ok ${BAD}/study/models/balanced.yaml (model)`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('a missing file', async () => {
    await expectBadInput([`${BAD}/no-such-file.yaml`], [`${BAD}/no-such-file.yaml: file not found`]);
  });

  it('invalid YAML, with its line and column', async () => {
    await expectBadInput(
      [`${BAD}/policies/invalid-yaml.yaml`],
      [`${BAD}/policies/invalid-yaml.yaml: invalid YAML at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    );
  });

  it('wrong types and a misspelt choice', async () => {
    await expectBadInput(
      [`${BAD}/policies/wrong-types.yaml`],
      [
        `${BAD}/policies/wrong-types.yaml: endMode: expected one of model | platform | hybrid, found "plattform"; did you mean "platform"?`,
        `${BAD}/policies/wrong-types.yaml: minRedirects: expected an integer from 0 to 100, found "three"`,
        `${BAD}/policies/wrong-types.yaml: warnBeforeEnd: expected boolean, found "yes"`,
      ],
    );
  });

  it('out-of-range numbers', async () => {
    await expectBadInput(
      [`${BAD}/policies/out-of-range.yaml`],
      [
        `${BAD}/policies/out-of-range.yaml: minRedirects: expected an integer from 0 to 100, found -1`,
        `${BAD}/policies/out-of-range.yaml: severityThreshold: expected a number from 0 to 1, found 1.5`,
        `${BAD}/policies/out-of-range.yaml: distressWindow: expected an integer from 1 to 50, found 2.5`,
      ],
    );
  });

  it('an unknown key, with the key it was meant to be', async () => {
    await expectBadInput(
      [`${BAD}/policies/minredirect-typo.yaml`],
      [`${BAD}/policies/minredirect-typo.yaml: minRedirect: unknown field, did you mean "minRedirects"?`],
    );
  });

  it('a name that does not match the file name', async () => {
    await expectBadInput(
      [`${BAD}/policies/name-mismatch.yaml`],
      [`${BAD}/policies/name-mismatch.yaml: name: expected "name-mismatch" (the file name), found "some-other-name"`],
    );
  });

  it('references to a policy and a model that do not exist', async () => {
    await expectBadInput(
      [`${BAD}/study/unknown-policy.yaml`],
      [
        `${BAD}/study/unknown-policy.yaml: policies.1: expected one of the policies in ${BAD}/study/policies (eager, last-resort) or the shipped ones in experiments/policies (eager, hybrid, last-resort, last-resort-unprotected, never-end, patient, …), found "lastresort"; did you mean "last-resort"?`,
        `${BAD}/study/unknown-policy.yaml: models.1: expected one of the models in ${BAD}/study/models (balanced) or the shipped ones in experiments/models (balanced, balanced-oracle, claude-opus-probe, claude-opus-string, claude-opus-tool, opus-4-published, …), found "balancd"; did you mean "balanced"?`,
      ],
    );
  });

  it('an empty grid', async () => {
    await expectBadInput([`${BAD}/study/empty-grid.yaml`], [`${BAD}/study/empty-grid.yaml: expected at least one scenario, persona or llm user, found none (the grid is empty)`]);
  });

  it('a sweep with a range that has no values and a value the policy rejects', async () => {
    await expectBadInput(
      [`${BAD}/study/empty-range.yaml`],
      [
        `${BAD}/study/empty-range.yaml: sweep.minRedirects.1: expected an integer from 0 to 100, found 2.5`,
        `${BAD}/study/empty-range.yaml: sweep.distressThreshold: expected a range with from <= to, found from 0.95 to 0.5 (no values)`,
      ],
    );
  });

  it('a persona whose intents refer to intents it lacks, and a scenario that edits a turn it lacks', async () => {
    await expectBadInput(
      [`${BAD}/personas/unknown-intent.yaml`, `${BAD}/scenarios/edit-past-end.yaml`],
      [
        `${BAD}/personas/unknown-intent.yaml: start: expected one of the intents (insult, calm), found "insullt"; did you mean "insult"?`,
        `${BAD}/personas/unknown-intent.yaml: transitions.calm.clam: expected one of the intents (insult, calm), found "clam"; did you mean "calm"?`,
        `${BAD}/scenarios/edit-past-end.yaml: afterEnd.atTurn: expected a turn from 1 to 2 (the scenario has 2 turns), found 5`,
      ],
    );
  });

  it('reports the good files on stdout and the problems of the bad ones on stderr', async () => {
    expect(await cli('validate', `${BAD}/study/policies/eager.yaml`, `${BAD}/policies/minredirect-typo.yaml`)).toEqual({
      code: 2,
      stdout: `ok ${BAD}/study/policies/eager.yaml (policy)\n`,
      stderr: `${BAD}/policies/minredirect-typo.yaml: minRedirect: unknown field, did you mean "minRedirects"?\n`,
    });
  });

  it('shows examples in --help', async () => {
    const result = await cli('validate', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:\n  $ welfare-sim validate experiments/quickstart.yaml');
  });
});
