/** `welfare-sim tune`, run as a real process: bad tune blocks give exit 2 and one line each; a small race writes its files. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/config/load-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const parts = resolve('experiments');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/welfare-sim.js', ...args], { env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

function experiment(name: string, tune: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}
seed: 3
scenarios: [abusive-persistent-insults, benign-recipe, disagreement-civil-persistent]
personas: [escalating-abuser, benign-chatter]
models: [balanced]
policies: [last-resort]
paths: {scenarios: ${parts}/scenarios, personas: ${parts}/personas, policies: ${parts}/policies, models: ${parts}/models}
${tune}`);
  return file;
}

const GOOD = `tune:
  search: {minRedirects: [1, 3, 6]}
  objective: {minimise: distressExposure}
  constraints: [{figure: peakDistress, bound: upper, limit: 1.5}]
  rounds: 2
  initialRepetitions: 2
  maxRepetitions: 4
`;

describe('welfare-sim tune', { timeout: 60_000 }, () => {
  it.each([
    ['no-tune', '', 'tune: expected a tune: block with search, objective and constraints (docs/tune.md), found none'],
    ['bad-value', GOOD.replace('[1, 3, 6]', '[1, 1.5]'), 'tune.search.minRedirects.1: expected a valid minRedirects'],
    ['bad-base', GOOD.replace('tune:\n', 'tune:\n  base: nope\n'), `tune.base: expected one of the experiment's policies (last-resort), found "nope"`],
    ['bad-reps', GOOD.replace('initialRepetitions: 2', 'initialRepetitions: 9'), 'tune.initialRepetitions: expected initialRepetitions <= maxRepetitions'],
  ])('%s: exit 2 with one line naming the file and field', async (name, tune, message) => {
    const file = experiment(name, tune);
    const result = await cli('tune', file, '--out', join(dir, `out-${name}`));
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${file}: ${message}`);
  });

  it('validate checks the tune block too', async () => {
    const file = experiment('validate-bad', GOOD.replace('[1, 3, 6]', '[1, 1.5]'));
    const result = await cli('validate', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: tune.search.minRedirects.1: expected a valid minRedirects`);
    expect((await cli('validate', experiment('validate-good', GOOD))).code).toBe(0);
  });

  it('rejects a budget that is not a positive number', async () => {
    const result = await cli('tune', experiment('budget', GOOD), '--budget-usd', '-3');
    expect(result).toMatchObject({ code: 2, stderr: '--budget-usd: expected a number above 0, found "-3"\n' });
  });

  it('races, writes the answer, a valid recommended policy with its evidence, and the report', async () => {
    const out = join(dir, 'good-run');
    const result = await cli('tune', experiment('good', GOOD), '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Feasible Pareto set:');
    const answer = JSON.parse(readFileSync(join(out, 'tune-answer.json'), 'utf8')) as { recommended: string; pareto: string[]; history: unknown[] };
    expect(answer.pareto).toContain(answer.recommended);
    const policyFile = join(out, 'last-resort-tuned.yaml');
    const policy = loadFile('policy', policyFile);
    expect(policy.ok).toBe(true);
    const text = readFileSync(policyFile, 'utf8');
    expect(text).toContain(`# Candidate ${answer.recommended}:`);
    expect(text).toMatch(/# Constraint peakDistress upper bound <= 1.5: /);
    expect(existsSync(join(out, 'tune-report.html'))).toBe(true);
    expect(readFileSync(join(out, 'tune-report.html'), 'utf8')).toContain('Race history');
    expect(existsSync(join(out, 'tune-state.json'))).toBe(true);
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
  });
});
