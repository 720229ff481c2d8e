/**
 * A hidden model behind the real SDK: the loopback API server plays a scripted Claude (test/fake-anthropic) whose
 * rules the fit never sees. `welfare-sim run` records it as a researcher would record Claude, and `welfare-sim
 * calibrate` (a real process) fits a surrogate and predicts held-out users. The scripted model ends on a count of
 * hostile messages, not on distress, and its signals come from a judge and a probe: the fit must say what it could
 * not identify and must not call the surrogate adequate without held-out evidence.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CalibrationSummary } from '../../src/calibrate/calibrate.ts';
import { simulatedModelSchema } from '../../src/core/model-profile.ts';
import { scriptedClaudeServer } from '../fake-anthropic/scripted-claude-server.ts';
import { runWelfareSim } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';

const loopback = scriptedClaudeServer();

describe('calibrate against a hidden Claude on the loopback server', { timeout: 120_000 }, () => {
  it('fits a surrogate from the recorded run, flags what it cannot identify, and predicts held-out users', async () => {
    const root = tempDir();
    const run = join(root, 'claude-run');
    const recorded = await runWelfareSim(['run', 'experiments/live-claude.yaml', '--runs-dir', root, '--out', run, '--no-report'], { env: loopback.env, withoutAnthropicEnv: true });
    expect(recorded.code, recorded.stderr).toBe(0);

    const out = join(root, 'models', 'claude-surrogate.yaml');
    const fitted = await runWelfareSim(['calibrate', run, '--model', 'claude-opus-tool', '--out', out, '--holdout', '0.4', '--seed', '3', '--bootstrap', '10'], { withoutAnthropicEnv: true });
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(fitted.stdout).toMatch(/Fitted claude-surrogate to \d+ turns of claude-opus-tool \(3 users; 2 held out\)/);

    const profile = simulatedModelSchema.parse(parse(readFileSync(out, 'utf8')));
    expect(profile.endMechanism?.kind).toBe('tool');
    const summary = JSON.parse(readFileSync(join(root, 'models', 'claude-surrogate.calibration', 'calibration.json'), 'utf8')) as CalibrationSummary;
    expect(existsSync(join(root, 'models', 'claude-surrogate.calibration', 'calibration.html'))).toBe(true);
    // A Claude run records no perception of its own: said plainly, template kept.
    expect(summary.notIdentified.some((l) => l.startsWith('perception: the runs do not record'))).toBe(true);
    // The scripted model ends after a fixed streak: warns on the third hostile message, ends on the fourth.
    expect(profile.patience).toBeGreaterThanOrEqual(2);
    // Held-out users were predicted through the runner, figure by figure, with a verdict each.
    expect(summary.usersHeldOut).toHaveLength(2);
    expect(summary.holdout.length).toBeGreaterThan(0);
    for (const row of summary.holdout) expect(['consistent', 'off', 'no data']).toContain(row.verdict);
    expect(summary.sources[0]?.configHash).toMatch(/^[0-9a-f]+$/);
    // The scripted Claude ends on a count of hostile messages read from their words, warns on the third whatever its
    // distress, and its distress comes from a judge: not the simulated model's form. The diagnostics must say so.
    expect(summary.adequate).toBe(false);
    expect(summary.diagnostics.some((d) => d.includes('not of this form') || d.includes('held-out figures are off'))).toBe(true);
  });
});
