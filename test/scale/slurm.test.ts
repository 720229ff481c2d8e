/**
 * The README's Slurm recipe on a real Slurm (scripts/try-slurm.sh): a one-node cluster of its own, the README's
 * array script submitted verbatim, a task requeued mid-run, the README's merge, and byte-identity with one machine.
 * Skipped, saying why, where Slurm is not installed (the script never installs it here: --no-install).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli-process.ts';

const installed = ['slurmctld', 'slurmd', 'sbatch', 'munged'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

describe('the README Slurm recipe', () => {
  it('merges shards run as a Slurm array, one requeued mid-run, into the run one machine writes', (context) => {
    if (!installed) context.skip('Slurm is not installed (apt-get install slurmctld slurmd slurm-client munge, or run scripts/try-slurm.sh as root)');
    const result = spawnSync('bash', ['scripts/try-slurm.sh', '--no-install'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 900_000 });
    expect(result.stderr, result.stderr).toContain('requeued task 2 after');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^try-slurm: ok: merged run of 4 Slurm tasks \(task 2 requeued mid-run\) is byte-identical to one machine \(2600 conversations\)\n$/);
  }, 900_000);

});
