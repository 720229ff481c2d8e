/**
 * The cost of an answer (issue 12): conversations `tune` uses ÷ conversations of the exhaustive grid (every candidate
 * at maxRepetitions), and the wall time of each, on an experiment with a tune: block.
 *
 *   npm run bench:tune                                  # experiments/tune-last-resort.yaml
 *   npm run bench:tune -- experiments/other.yaml
 *
 * Also says whether the two answers agree up to ties within intervals. Target: ratio ≤ 0.25. Exits 1 when the
 * answers disagree or the ratio is above the target. Not a test: wall times depend on the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sameUpToTies } from '../src/core/tune/answer.ts';
import { evidenceFromRecords } from '../src/core/tune/evidence.ts';
import { silentProgress } from '../src/runner/progress.ts';
import { runTune, type TuneOutcome } from '../src/runner/tune/run-tune.ts';
import { writeTuneAnswer, type TuneAnswer } from '../src/runner/tune/tune-answer.ts';
import { readConversations } from '../src/store/read-run.ts';

const TARGET = 0.25;
const experimentFile = process.argv[2] ?? 'experiments/tune-last-resort.yaml';
const root = mkdtempSync(join(tmpdir(), 'bench-tune-'));

async function timed(mode: 'race' | 'exhaustive'): Promise<{ outcome: TuneOutcome; answer: TuneAnswer; seconds: number }> {
  const started = performance.now();
  const outcome = await runTune({
    experimentFile,
    out: join(root, mode),
    runsDir: root,
    mode,
    noCache: true,
    cacheDir: join(root, '.cache'),
    env: process.env,
    now: () => new Date(),
    progress: silentProgress,
    signal: new AbortController().signal,
  });
  const answer = await writeTuneAnswer(outcome.runDir, outcome.prepared, outcome.state);
  return { outcome, answer, seconds: (performance.now() - started) / 1000 };
}

try {
  const race = await timed('race');
  const full = await timed('exhaustive');
  const { prepared } = full.outcome;
  const evidence = evidenceFromRecords(await readConversations(full.outcome.runDir), prepared.level.level, prepared.level.z, prepared.byConstruction);
  const verdict = sameUpToTies(race.answer.pareto, full.answer.pareto, evidence, prepared.tune.constraints, prepared.tune.objective);
  const ratio = race.outcome.conversations / full.outcome.conversations;
  const rounds = race.outcome.state.history.map((h) => `r${h.round}: ${h.running}/${h.racing} ran to ${h.repetitions} reps (${h.conversations} conv., ${h.eliminated.length} left)`);
  console.log(`${experimentFile}: ${prepared.candidates.length} candidates, maxRepetitions ${prepared.tune.maxRepetitions}`);
  console.log(`  tune        ${race.outcome.conversations} conversations in ${race.seconds.toFixed(1)} s${race.answer.stopped ? ` (${race.answer.stopped.split(':')[0]})` : ''}`);
  for (const line of rounds) console.log(`              ${line}`);
  console.log(`  exhaustive  ${full.outcome.conversations} conversations in ${full.seconds.toFixed(1)} s`);
  console.log(`  ratio       ${ratio.toFixed(3)} (target ≤ ${TARGET})`);
  console.log(`  answers     tune ${JSON.stringify(race.answer.pareto)}`);
  console.log(`              exhaustive ${JSON.stringify(full.answer.pareto)}`);
  console.log(`              ${verdict.same ? 'the same up to ties within intervals' : `differ beyond ties: ${verdict.untied.join(', ')}`}`);
  if (!verdict.same || ratio > TARGET) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
