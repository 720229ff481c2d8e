/**
 * A calibrated profile's provenance as the report and the loader read it: the error of a cell against a worked
 * example, reports with and without a surrogate, and bad provenance as one line and exit 2 (real processes).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cellError } from '../../src/core/calibration-error.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';

const EXPERIMENTS = resolve('experiments');
const SHIPPED = parse(readFileSync('experiments/models/pilot-surrogate.yaml', 'utf8')) as Record<string, unknown> & { provenance: Record<string, unknown> };

/** A study folder whose model `surrogate` is the shipped profile, changed by `edit`; its calibration.json copied unless told not to. */
function study(edit: (profile: typeof SHIPPED) => Record<string, unknown>, withReport = true): { dir: string; model: string; experiment: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'models', 'surrogate.calibration'), { recursive: true });
  const model = join(dir, 'models', 'surrogate.yaml');
  const profile = edit(structuredClone({ ...SHIPPED, id: 'surrogate', provenance: { ...SHIPPED.provenance, calibrationReport: 'surrogate.calibration/calibration.json' } }));
  writeFileSync(model, stringify(profile));
  if (withReport) copyFileSync('experiments/models/pilot-surrogate.calibration/calibration.json', join(dir, 'models', 'surrogate.calibration', 'calibration.json'));
  const experiment = join(dir, 'study.yaml');
  writeFileSync(experiment, stringify({
    name: 'surrogate-study', seed: 3, repetitions: 1,
    scenarios: ['abusive-persistent-insults', 'benign-recipe', 'at-risk-crisis'],
    models: ['surrogate'], policies: ['hybrid'], maxTurns: 8,
    paths: { scenarios: join(EXPERIMENTS, 'scenarios'), personas: join(EXPERIMENTS, 'personas'), policies: join(EXPERIMENTS, 'policies'), models: join(dir, 'models') },
  }));
  return { dir, model, experiment };
}

async function expectOneLine(args: string[], line: RegExp): Promise<void> {
  const result = await runWelfareSim(args);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(line);
}

describe('the error of held-out cells', () => {
  it('averages |predicted − observed| and bounds each by the two intervals in quadrature (worked by hand)', () => {
    const cell = (p: number, pl: number, ph: number, o: number, ol: number, oh: number, verdict: 'consistent' | 'off') =>
      ({ cls: 'abusive', policy: 'hybrid', metric: 'endRate' as const, predicted: { value: p, low: pl, high: ph }, observed: { value: o, low: ol, high: oh }, verdict });
    // |0.5 − 0.2| = 0.3, half-widths 0.1 and 0.1: h = √0.02 = 0.141421, bounds 0.158579 and 0.441421.
    // |0.4 − 0.4| = 0, half-widths 0.05 and 0.15: h = √0.025 = 0.158114, bounds 0 and 0.158114.
    const error = cellError([cell(0.5, 0.4, 0.6, 0.2, 0.1, 0.3, 'off'), cell(0.4, 0.35, 0.45, 0.4, 0.25, 0.55, 'consistent'),
      { ...cell(0, 0, 0, 0, 0, 0, 'consistent'), observed: { value: null, low: null, high: null }, predicted: { value: null, low: null, high: null }, verdict: 'no data' }]);
    expect(error).toEqual({ cells: 2, consistent: 1, off: 1, meanAbsError: 0.15, maxAbsError: 0.3, band: [0.0793, 0.2998] });
  });
});

describe('the report of a run on a surrogate', { timeout: 120_000 }, () => {
  it('says a profile calibrated without a hold-out was not checked, and a profile without provenance gets no statement at all', async () => {
    const noHoldout = study((p) => ({ ...p, provenance: { ...p.provenance, heldOut: undefined, calibrationReport: undefined } }));
    const html = readFileSync(await writeReport((await runFixture(noHoldout.experiment)).runDir), 'utf8');
    expect(html).toContain('<section id="surrogate"');
    expect(html).toContain('Its error is <strong>not checked on held-out users</strong>: its provenance records no held-out check (calibrated without <code>--holdout</code>)');
    expect(html).toContain('<td title="not checked on held-out users (its provenance records no held-out check: calibrated without --holdout)">not checked</td>');

    const plain = study((p) => ({ ...p, provenance: undefined }));
    const plainRun = (await runFixture(plain.experiment)).runDir;
    const page = readFileSync(await writeReport(plainRun), 'utf8');
    for (const marker of ['id="surrogate"', '<tfoot>', 'calibration error', 'href="#surrogate"', 'predicted by a surrogate']) expect(page).not.toContain(marker);
    expect(readFileSync(join(plainRun, 'charts', 'pareto-frontier.vl.json'), 'utf8')).not.toContain('surrogate');
  });
});

describe('bad calibration provenance', { timeout: 120_000 }, () => {
  it('a calibrationReport that is not there: one line, exit 2, from validate and from run', async () => {
    const { model, experiment, dir } = study((p) => p, false);
    const line = /surrogate\.yaml: provenance\.calibrationReport: expected the calibration report the profile was fitted with at .*calibration\.json, found no file/;
    await expectOneLine(['validate', model], line);
    await expectOneLine(['run', experiment, '--out', join(dir, 'run')], line);
  });

  it('a held-out error that calibration.json does not give, or of the wrong shape: one line, exit 2', async () => {
    const edited = study((p) => {
      const heldOut = p.provenance.heldOut as { error: { endRate: { meanAbsError: number } } };
      heldOut.error.endRate.meanAbsError = 0.001;
      return p;
    });
    await expectOneLine(['validate', edited.experiment], /surrogate\.yaml: provenance\.heldOut\.error: expected the held-out error computed from .*calibration\.json, found different figures/);
    const malformed = study((p) => {
      (p.provenance.heldOut as { error: { endRate: { cells: unknown } } }).error.endRate.cells = 'many';
      return p;
    });
    await expectOneLine(['validate', malformed.model], /surrogate\.yaml: provenance\.heldOut\.error\.endRate\.cells: expected the held-out error as welfare-sim calibrate writes it, found/);
  });
});
