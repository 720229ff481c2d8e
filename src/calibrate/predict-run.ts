/**
 * Runs the fitted profile against chosen users of a recorded run, through the real runner: the run's own parts
 * (scenarios, personas, policies, sweep, maxTurns) are written to a temporary experiment folder beside the fitted
 * model, so the prediction meets the same users under the same policies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ConversationRecord, TurnEvent } from '../core/records.ts';
import { readJsonl } from '../store/jsonl-reader.ts';
import { readConversations } from '../store/read-run.ts';
import { runFile } from '../store/run-directory.ts';
import { silentProgress } from '../runner/progress.ts';
import { runExperiment } from '../runner/run-experiment.ts';
import type { RunConfig } from './read-runs.ts';

export interface PredictRequest {
  readonly config: RunConfig;
  readonly profile: Readonly<Record<string, unknown>> & { readonly id: string };
  readonly users: readonly string[];
  readonly repetitions: number;
  readonly seed: number;
  /**
   * When the source measured its preference with an instrument other than the latent preference (a Claude run's
   * wellbeing probe), the chance that instrument reads "end" on a turn of the given observed distress: each
   * predicted conversation's turns preferring to end are then the expected count under that instrument, not the
   * simulated latent preference, so the held-out figure compares like with like.
   */
  readonly preferEnd?: (distress: number) => number;
}

export async function predictRun(request: PredictRequest): Promise<ConversationRecord[]> {
  const root = mkdtempSync(join(tmpdir(), 'welfare-sim-calibrate-'));
  try {
    const write = (folder: string, id: string, value: unknown): void => {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, folder, `${id}.yaml`), stringify(value));
    };
    const wanted = new Set(request.users);
    const scenarios = request.config.scenarios.filter((s) => wanted.has(s.id));
    const personas = request.config.personas.filter((p) => wanted.has(p.id));
    for (const s of request.config.scenarios) write('scenarios', s.id, s);
    for (const p of request.config.personas) write('personas', p.id, p);
    for (const p of request.config.policies) write('policies', p.name, p);
    write('models', request.profile.id, request.profile);
    mkdirSync(join(root, 'personas'), { recursive: true });
    mkdirSync(join(root, 'scenarios'), { recursive: true });
    const experiment = {
      name: 'calibration-prediction',
      seed: request.seed,
      repetitions: request.repetitions,
      scenarios: scenarios.map((s) => s.id),
      personas: personas.map((p) => p.id),
      models: [request.profile.id],
      policies: [...new Set(request.config.policies.map((p) => p.name))],
      ...(request.config.experiment.sweep !== undefined ? { sweep: request.config.experiment.sweep } : {}),
      ...(request.config.experiment.maxTurns !== undefined ? { maxTurns: request.config.experiment.maxTurns } : {}),
      paths: { scenarios: 'scenarios', personas: 'personas', policies: 'policies', models: 'models' },
    };
    writeFileSync(join(root, 'experiment.yaml'), stringify(experiment));
    const outcome = await runExperiment({
      experimentFile: join(root, 'experiment.yaml'),
      out: join(root, 'run'),
      runsDir: root,
      noCache: true,
      cacheDir: join(root, '.cache'),
      env: {},
      now: () => new Date(0),
      progress: silentProgress,
      signal: new AbortController().signal,
      threads: 1,
    });
    const records = await readConversations(outcome.runDir);
    if (request.preferEnd === undefined) return records;
    const expected = new Map<string, number>();
    for await (const { record } of readJsonl<TurnEvent>(runFile(outcome.runDir, 'events'))) {
      if (record.type !== 'turn') continue;
      expected.set(record.conversation, (expected.get(record.conversation) ?? 0) + request.preferEnd(record.model.signals.distress.value));
    }
    return records.map((r) => ({ ...r, preferEndTurns: expected.get(r.id) ?? 0 }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
