/**
 * scripts/ensure-test-tools.sh and the Deno Jupyter kernel: a registration pointing at a binary that is gone (another
 * checkout, since deleted) is re-pointed at this checkout's deno, so nbconvert does not fail with FileNotFoundError;
 * another broken kernel is the user's own and is named, not removed. Runs the real script with a scratch HOME.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';

describe('ensure-test-tools.sh', () => {
  it('re-points a Deno kernel whose binary is missing and names other broken kernels', () => {
    const home = tempDir();
    const kernels = join(home, '.local/share/jupyter/kernels');
    mkdirSync(join(kernels, 'deno'), { recursive: true });
    mkdirSync(join(kernels, 'other'), { recursive: true });
    const gone = '/nonexistent/checkout/node_modules/deno/deno';
    writeFileSync(join(kernels, 'deno/kernel.json'), JSON.stringify({ argv: [gone, 'jupyter', '--kernel', '--conn', '{connection_file}'], display_name: 'Deno', language: 'typescript' }));
    writeFileSync(join(kernels, 'other/kernel.json'), JSON.stringify({ argv: ['/gone/python3', '-m', 'ipykernel_launcher'], display_name: 'Other' }));
    const result = spawnSync('sh', ['scripts/ensure-test-tools.sh'], { cwd: PROJECT_ROOT, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 300_000 });
    expect(result.status, result.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(kernels, 'deno/kernel.json'), 'utf8')) as { argv: string[] };
    expect(spec.argv[0]).toMatch(new RegExp(`^${PROJECT_ROOT}/node_modules/(deno/|\.bin/)deno$`));
    expect(existsSync(spec.argv[0] as string)).toBe(true);
    expect(result.stderr).toContain(`the deno Jupyter kernel pointed at a missing ${gone}; re-pointing it at this checkout`);
    expect(result.stderr).toContain('the Jupyter kernel "other" starts /gone/python3, which does not exist (remove it: jupyter kernelspec remove other)');
    expect(existsSync(join(kernels, 'other/kernel.json'))).toBe(true);
  }, 300_000);
});
