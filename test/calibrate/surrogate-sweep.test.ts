/**
 * The calibrated-surrogate workflow end to end, as a researcher runs it (README, "A calibrated surrogate"): a small
 * run of the scripted Claude on the loopback server through the real SDK, `welfare-sim calibrate` with a hold-out
 * (a real process), then a sweep on the fitted profile whose report must state the calibration error. The error is
 * checked against calibration.json by this file's own arithmetic, not the code that wrote it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationSummary } from '../../src/calibrate/calibrate.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { scriptedClaudeServer } from '../fake-anthropic/scripted-claude-server.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { runFixture, tempDir } from '../support/run-fixture.ts';

const loopback = scriptedClaudeServer();
const EXPERIMENTS = resolve('experiments');

type Row = CalibrationSummary['holdout'][number];

/** Mean |predicted − observed| over the rows where both were measured: the plain definition, computed here. */
function meanAbsError(rows: readonly Row[]): { mae: number; cells: number } {
  const both = rows.filter((r) => r.observed.value !== null && r.predicted.value !== null);
  const total = both.reduce((sum, r) => sum + Math.abs((r.predicted.value as number) - (r.observed.value as number)), 0);
  return { mae: total / both.length, cells: both.length };
}

/** The shipped sweep, made small: three thresholds, two repetitions, parts from the repository, models from `models`. */
function smallSweep(dir: string, modelsDir: string, model: string): string {
  const shipped = parse(readFileSync('experiments/surrogate-sweep.yaml', 'utf8')) as Record<string, unknown>;
  const file = join(dir, 'small-sweep.yaml');
  writeFileSync(file, stringify({
    ...shipped,
    repetitions: 2,
    models: [model],
    sweep: { distressThreshold: [0.5, 0.8, 0.95] },
    paths: { scenarios: join(EXPERIMENTS, 'scenarios'), personas: join(EXPERIMENTS, 'personas'), policies: join(EXPERIMENTS, 'policies'), models: modelsDir },
  }));
  return file;
}

function surrogateSection(html: string): string {
  const start = html.indexOf('<section id="surrogate"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The number the report's held-out table gives a metric over all held-out classes. */
function stated(section: string, label: string, unit: string): number {
  const match = new RegExp(`<th scope="row">${label.replace(/[()]/g, '\\$&')}</th><td>all held-out classes</td><td><strong>±([0-9.]+) ${unit}</strong>`).exec(section);
  expect(match, label).not.toBeNull();
  return Number(match?.[1]);
}

describe('a surrogate fitted to a recorded run carries its held-out error into a sweep report', () => {
  const root = tempDir();
  let summary: CalibrationSummary;
  let html = '';
  let sweepDir = '';

  // The researcher's three steps: record (the real SDK against the loopback server), calibrate (a real process),
  // sweep on the fitted profile (the runner and the report's own API, as `run` calls them).
  beforeAll(async () => {
    const pilot = await runFixture('experiments/surrogate-pilot.yaml', { out: join(root, 'pilot'), runsDir: root, env: loopback.env });
    expect(pilot.manifest.counts).toEqual({ completed: 48, errored: 0 });
    const modelsDir = join(root, 'models');
    const fitted = await runWelfareSim(['calibrate', pilot.runDir, '--out', join(modelsDir, 'fitted-surrogate.yaml'), '--holdout', '0.34', '--seed', '1', '--bootstrap', '5', '--note', 'the loopback stand-in'], { withoutAnthropicEnv: true });
    expect(fitted.code, fitted.stderr).toBe(0);
    summary = JSON.parse(readFileSync(join(modelsDir, 'fitted-surrogate.calibration', 'calibration.json'), 'utf8')) as CalibrationSummary;
    // Stratified by class: users of each of the pilot's classes with two or more users (a third of each, at least one).
    expect(summary.usersHeldOut.length).toBeGreaterThan(0);
    expect(fitted.stdout).toContain(`Calibration error on ${summary.usersHeldOut.length} held-out users`);
    const sweep = await runFixture(smallSweep(root, modelsDir, 'fitted-surrogate'), { out: join(root, 'sweep'), runsDir: root, threads: 1 });
    sweepDir = sweep.runDir;
    html = readFileSync(await writeReport(sweepDir), 'utf8');
  }, 240_000);

  const of = (metric: Row['metric'], classes?: readonly string[]): Row[] =>
    summary.holdout.filter((r) => r.metric === metric && (classes === undefined || classes.includes(r.cls)));
  const mustNotEnd = ['benign', 'disagreement', 'tough', 'emotional', 'correction'];

  it('states each metric\'s error over the held-out cells as calibration.json gives it, with the verdicts', () => {
    expect(summary.usersHeldOut.length).toBeGreaterThan(0);
    const section = surrogateSection(html);
    expect(section).toContain('predicted by a surrogate fitted to claude-opus-tool in');
    expect(section).toContain('the loopback stand-in');
    // Each metric's error over all held-out cells, to the report's precision (shares in percentage points).
    const endRate = meanAbsError(of('endRate'));
    expect(Math.abs(stated(section, 'end rate', 'pp') - 100 * endRate.mae)).toBeLessThanOrEqual(0.05 + 1e-9);
    const prefer = meanAbsError(of('preferEndShare'));
    expect(Math.abs(stated(section, 'share of turns preferring to end', 'pp') - 100 * prefer.mae)).toBeLessThanOrEqual(0.05 + 1e-9);
    const vetoed = meanAbsError(of('vetoedAttempts'));
    expect(Math.abs(stated(section, 'vetoed end attempts per conversation', 'per conversation') - vetoed.mae)).toBeLessThanOrEqual(0.005 + 1e-9);
    const timeRows = of('timeToEnd');
    if (timeRows.some((r) => r.observed.value !== null && r.predicted.value !== null)) {
      expect(Math.abs(stated(section, 'time to end (turns, among ended)', 'turns') - meanAbsError(timeRows).mae)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    const verdicts = (rows: readonly Row[]): string => `(${rows.filter((r) => r.verdict === 'consistent').length} consistent, ${rows.filter((r) => r.verdict === 'off').length} off)`;
    expect(section).toContain(`${endRate.cells} ${verdicts(of('endRate'))}`);
  });

  it('gives the false-end rate the error of the must-not-end classes held out, and calls the other classes unchecked', () => {
    const heldOutMustNotEnd = [...new Set(of('endRate', mustNotEnd).map((r) => r.cls))].sort();
    const falseEnd = meanAbsError(of('endRate', mustNotEnd));
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(html)?.[1] ?? '';
    expect(foot).toContain(`>±${(100 * falseEnd.mae).toFixed(1)} pp (${heldOutMustNotEnd.join(', ')})</td>`);
    // A class no held-out user belonged to is said to be unchecked, never given another class's error.
    const unchecked = ['at-risk', 'harmful', 'tough', 'correction', 'user-requests-end'].filter((c) => !summary.holdout.some((r) => r.cls === c));
    expect(unchecked.length).toBeGreaterThan(0);
    const section = surrogateSection(html);
    for (const cls of unchecked) expect(section).toMatch(new RegExp(`belonged to \\([^)]*${cls}`));
    // The sweep's own charts say whose predictions they plot.
    const curves = readFileSync(join(sweepDir, 'charts', 'threshold-curves.vl.json'), 'utf8');
    expect(curves).toContain('Predicted by the surrogate fitted-surrogate (fitted to claude-opus-tool); calibration error on held-out users:');
    expect(curves).toContain(`false-end rate ±${(100 * falseEnd.mae).toFixed(1)} pp (${heldOutMustNotEnd.join(', ')}); distress exposure not checked.`);
  });

  it('compare says it too, in text', { timeout: 60_000 }, async () => {
    const falseEnd = meanAbsError(of('endRate', mustNotEnd));
    const compared = await runWelfareSim(['compare', sweepDir]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain('fitted-surrogate: predicted by a surrogate fitted to claude-opus-tool in');
    expect(compared.stdout).toContain(`false-end rate: ±${(100 * falseEnd.mae).toFixed(1)} pp`);
    expect(compared.stdout).toMatch(/at-risk end rate: not checked on held-out users/);
  });
});

describe('the shipped surrogate sweep', { timeout: 60_000 }, () => {
  it('validates', async () => {
    const valid = await runWelfareSim(['validate', 'experiments/surrogate-sweep.yaml', 'experiments/surrogate-pilot.yaml', 'experiments/models/pilot-surrogate.yaml']);
    expect(valid.code, valid.stderr).toBe(0);
  });

  it('runs small on the shipped pilot-surrogate with the error of its shipped calibration.json', async () => {
    const shipped = JSON.parse(readFileSync('experiments/models/pilot-surrogate.calibration/calibration.json', 'utf8')) as CalibrationSummary;
    const root = tempDir();
    const run = await runWelfareSim(['run', smallSweep(root, join(EXPERIMENTS, 'models'), 'pilot-surrogate'), '--out', join(root, 'run'), '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    const section = surrogateSection(readFileSync(join(root, 'run', 'report.html'), 'utf8'));
    expect(section).toContain('not Claude');
    const prefer = meanAbsError(shipped.holdout.filter((r) => r.metric === 'preferEndShare'));
    expect(Math.abs(stated(section, 'share of turns preferring to end', 'pp') - 100 * prefer.mae)).toBeLessThanOrEqual(0.05 + 1e-9);
  });
});
