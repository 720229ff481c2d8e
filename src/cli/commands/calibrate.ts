/**
 * `welfare-sim calibrate RUN_DIR... --out experiments/models/NAME.yaml`: fit a simulated profile to recorded runs of
 * another model (src/calibrate, docs/calibration.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { calibrate } from '../../calibrate/calibrate.ts';
import { writeCalibrationReport } from '../../calibrate/calibration-report.ts';
import { InputError } from '../../common/input-error.ts';
import { surrogateLines, surrogateModels } from '../../report/surrogate-note.ts';

interface CalibrateFlags {
  out: string;
  holdout?: string;
  seed: string;
  bootstrap: string;
  model?: string;
  report?: string;
  note?: string;
}

function numberFlag(flag: string, text: string, low: number, high: number, integer = false): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value >= low && value <= high && (!integer || Number.isInteger(value)))) {
    throw InputError.one(flag, '', `expected ${integer ? 'an integer' : 'a number'} from ${low} to ${high}, found "${text}"`);
  }
  return value;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('Fit a simulated profile to recorded runs of another model, with intervals, identifiability and held-out checks.')
    .argument('<runDirs...>', 'recorded run directories of the model to imitate')
    .requiredOption('--out <file>', 'the profile to write, e.g. experiments/models/opus-surrogate.yaml')
    .option('--holdout <fraction>', 'hold out this share of users (whole users, seeded) and predict them')
    .option('--seed <n>', 'seed of the hold-out split, bootstrap and prediction run', '1')
    .option('--bootstrap <n>', 'bootstrap replicates over users for the intervals', '50')
    .option('--model <id>', 'the model to fit when the runs hold several')
    .option('--report <dir>', 'where calibration.html and calibration.json go (default: beside --out, NAME.calibration/)')
    .option('--note <text>', 'what the source runs are, in your words (kept in the provenance; every report on the profile shows it)')
    .action(async (runDirs: string[], flags: CalibrateFlags) => {
      if (!flags.out.endsWith('.yaml')) throw InputError.one('--out', '', `expected a .yaml file name, found "${flags.out}"`);
      const id = basename(flags.out, '.yaml');
      const outcome = await calibrate({
        runDirs,
        id,
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        ...(flags.holdout !== undefined ? { holdout: numberFlag('--holdout', flags.holdout, 0.01, 0.9) } : {}),
        seed: numberFlag('--seed', flags.seed, 0, 2 ** 31, true),
        bootstrap: numberFlag('--bootstrap', flags.bootstrap, 0, 10000, true),
        ...(flags.note !== undefined ? { note: flags.note } : {}),
      });
      mkdirSync(dirname(flags.out), { recursive: true });
      const header = '# yaml-language-server: $schema=../schema/model.schema.json\n# Written by `welfare-sim calibrate` (docs/calibration.md); provenance says where every value came from.\n';
      const reportDir = flags.report ?? join(dirname(flags.out), `${id}.calibration`);
      // Relative to the profile, so the two move together; `validate` and `run` check it is there.
      const calibrationReport = relative(dirname(flags.out), join(reportDir, 'calibration.json')).split('\\').join('/');
      const profile = { ...outcome.profile, provenance: { ...outcome.profile.provenance, calibrationReport } };
      writeFileSync(flags.out, header + stringify(profile));
      await writeCalibrationReport(reportDir, outcome.summary);
      const s = outcome.summary;
      process.stdout.write(`Fitted ${id} to ${s.turnsUsed} turns of ${s.model} (${s.usersFitted.length} users; ${s.usersHeldOut.length} held out).\n`);
      for (const line of s.notIdentified) process.stdout.write(`Not identified: ${line}\n`);
      for (const line of s.diagnostics) process.stdout.write(`Misfit: ${line}\n`);
      // What every report on the profile will say about its figures (src/report/surrogate-note.ts).
      const [surrogate] = surrogateModels({ config: { models: [profile] } });
      if (surrogate?.heldOut) process.stdout.write(`${surrogateLines(surrogate).slice(1).filter((l) => !l.includes('found a misfit')).join('\n').replace(/^ {2}/gm, '').replace(/^[a-z]/gm, (c) => c.toUpperCase())}\n`);
      process.stdout.write(`${s.adequate ? 'No misfit found.' : 'The fitted profile does not describe the recorded model well.'}\nProfile: ${flags.out}\nReport: ${join(reportDir, 'calibration.html')}\n`);
    });
}
