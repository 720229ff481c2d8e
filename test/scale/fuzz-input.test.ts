/**
 * Bad input, at scale: 1,040 seeded malformed experiment, policy, scenario and persona files (malformed-files.ts).
 * Each is run through `welfare-sim run` in this process (runCli, exactly what bin/welfare-sim.js calls) and must
 * exit 2 with one `FILE: path: message` line per problem — naming the broken file and, for a broken field, that
 * field's path — no stack trace, no hang, and no run directory. A seeded sample of 32 is run again as real
 * processes and must print exactly the same.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import pLimit from 'p-limit';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';
import { captureCli, type Captured } from './capture-cli.ts';
import { breakFile, mutationArbitrary, type FuzzKind, type MalformedFile } from './malformed-files.ts';

const CASES_PER_KIND = 260;
const SAMPLE_EVERY = 33;
const EXPERIMENT = `name: fuzz
seed: 1
repetitions: 1
scenarios: [abusive-escalating-insults]
personas: [escalating-abuser]
models: [balanced]
policies: [last-resort]
sweep:
  minRedirects: [1, 3]
`;
const FILES: Readonly<Record<FuzzKind, string>> = {
  experiment: 'exp.yaml',
  policy: 'policies/last-resort.yaml',
  scenario: 'scenarios/abusive-escalating-insults.yaml',
  persona: 'personas/escalating-abuser.yaml',
};
const SEEDS: Readonly<Record<FuzzKind, number>> = { experiment: 601, policy: 602, scenario: 603, persona: 604 };

let workspace: string;
const validText = {} as Record<FuzzKind, string>;
const samples: { dir: string; expected: Captured; mutation: string }[] = [];

function buildWorkspace(dir: string): void {
  for (const folder of ['policies', 'scenarios', 'personas', 'models']) mkdirSync(join(dir, folder));
  for (const kind of ['policy', 'scenario', 'persona'] as const) cpSync(join(PROJECT_ROOT, 'experiments', FILES[kind]), join(dir, FILES[kind]));
  cpSync(join(PROJECT_ROOT, 'experiments/models/balanced.yaml'), join(dir, 'models/balanced.yaml'));
  writeFileSync(join(dir, FILES.experiment), EXPERIMENT);
}

const runArgs = (dir: string): string[] => ['run', join(dir, FILES.experiment), '--runs-dir', join(dir, 'runs'), '--no-report', '--no-cache'];

/** The broken field's path and its ancestors: a message at any of them, or below the path, names the field. */
function namesTheField(stderr: string, file: string, rawPath: string): boolean {
  // Messages number a turn as it is counted as well: `turns.1` is shown as `turns[1] (turn 2)`.
  const path = rawPath.replace(/(^|\.)turns\.(\d+)/g, (_, dot: string, n: string) => `${dot}turns[${n}] (turn ${Number(n) + 1})`);
  const segments = path.split(/\.(?![^(]*\))/);
  const ancestors = segments.map((_, i) => segments.slice(0, i + 1).join('.'));
  return stderr
    .split('\n')
    .filter((line) => line.startsWith(`${file}: `))
    .map((line) => line.slice(file.length + 2))
    .some((rest) => rest.startsWith(`${path}.`) || ancestors.some((a) => rest.startsWith(`${a}: `)));
}

function expectRefused(result: Captured, broken: MalformedFile, file: string): void {
  const context = `${JSON.stringify(broken.mutation)}\n--- file ---\n${broken.text}\n--- stderr ---\n${result.stderr}`;
  expect(result.code, context).toBe(2);
  expect(result.stdout, context).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines.pop(), context).toBe('');
  for (const line of lines) expect(line.startsWith(`${workspace}/`) && /\.yaml: \S/.test(line), `not a FILE: message line: ${line}\n${context}`).toBe(true);
  expect(result.stderr, context).not.toMatch(/^\s+at |Error:|\.ts:\d+/m);
  expect(lines.some((line) => line.startsWith(`${file}: `)), context).toBe(true);
  if (broken.path !== '') expect(namesTheField(result.stderr, file, broken.path), `no line names ${broken.path}\n${context}`).toBe(true);
  expect(existsSync(join(workspace, 'runs')), context).toBe(false);
}

beforeAll(async () => {
  workspace = tempDir('welfare-sim-fuzz-');
  buildWorkspace(workspace);
  for (const kind of Object.keys(FILES) as FuzzKind[]) validText[kind] = readFileSync(join(workspace, FILES[kind]), 'utf8');
});

describe('malformed input files', { timeout: 180_000 }, () => {
  it('the untouched workspace runs (so every refusal below is the broken file)', async () => {
    const runsDir = tempDir();
    const result = await captureCli(['run', join(workspace, FILES.experiment), '--runs-dir', runsDir, '--no-report', '--no-cache', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ conversations: 4, status: 'complete' });
  });

  it.each(Object.keys(FILES) as FuzzKind[])('%s files: every one exits 2 naming the file and field', async (kind) => {
    const file = join(workspace, FILES[kind]);
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(mutationArbitrary(kind), async (mutation) => {
        const broken = breakFile(kind, validText[kind], mutation);
        fc.pre(broken !== null);
        writeFileSync(file, broken.text);
        try {
          const result = await captureCli(runArgs(workspace));
          expectRefused(result, broken, file);
          ran += 1;
          if (ran % SAMPLE_EVERY === 0) {
            const dir = tempDir('welfare-sim-fuzz-sample-');
            cpSync(workspace, dir, { recursive: true });
            samples.push({ dir, expected: { ...result, stderr: result.stderr.replaceAll(workspace, dir) }, mutation: JSON.stringify(mutation) });
          }
        } finally {
          writeFileSync(file, validText[kind]);
        }
      }),
      { seed: SEEDS[kind], numRuns: CASES_PER_KIND, maxSkipsPerRun: 50 },
    );
    expect(ran).toBe(CASES_PER_KIND);
  });

  it.each([
    ['an ambiguous alias', '&a *bendableCategories: [csam]\n', 'policies/last-resort.yaml: invalid YAML at line 16, column 4: An alias node must not specify any properties'],
    ['a collection as a key', '? [a, b]\n: 1\n', 'policies/last-resort.yaml: [ a, b ]: unknown field'],
  ])('YAML the parser only warns about (%s) prints no raw Node warning', async (_name, junk, line) => {
    const dir = tempDir('welfare-sim-fuzz-warn-');
    buildWorkspace(dir);
    writeFileSync(join(dir, FILES.policy), validText.policy + junk);
    const result = await new Promise<Captured>((done) => {
      execFile('node', ['bin/welfare-sim.js', ...runArgs(dir)], { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${dir}/${line}\n` });
  });

  it('a seeded sample, run as real processes, prints exactly the same and exits 2', async () => {
    expect(samples.length).toBe(4 * Math.floor(CASES_PER_KIND / SAMPLE_EVERY));
    const limit = pLimit(2);
    const results = await Promise.all(
      samples.map((sample) =>
        limit(
          () =>
            new Promise<Captured>((done) => {
              execFile('node', ['bin/welfare-sim.js', ...runArgs(sample.dir)], { cwd: PROJECT_ROOT, timeout: 30_000, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
                done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
              });
            }),
        ),
      ),
    );
    results.forEach((result, i) => {
      const sample = samples[i] as (typeof samples)[number];
      expect(result, sample.mutation).toEqual(sample.expected);
      expect(existsSync(join(sample.dir, 'runs')), sample.mutation).toBe(false);
    });
  });
});
