/**
 * The package as a user gets it: `npm pack`, installed into an empty project, runs the quickstart from the
 * compiled JavaScript with production dependencies only (no tsx, no esbuild, no TypeScript sources), on worker
 * threads too, and records real dependency versions in the manifest.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/cli-process.ts';
import { tempDir } from '../support/run-fixture.ts';

const run = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });

describe('the packed package', () => {
  it('installs into an empty project and runs the quickstart from compiled JavaScript', () => {
    const dir = tempDir('welfare-sim-pack-');
    run('npm', ['pack', '--pack-destination', dir, '--silent'], PROJECT_ROOT);
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const listing = run('tar', ['tzf', join(dir, tarball as string)], dir).split('\n');
    expect(listing.some((path) => path.startsWith('package/dist/src/cli/main.js'))).toBe(true);
    expect(listing.some((path) => path.startsWith('package/dist/src/cli/main.d.ts'))).toBe(true);
    expect(listing.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
    expect(listing.some((path) => path.startsWith('package/test/') || path.startsWith('package/bench/'))).toBe(false);

    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'study', private: true }));
    run('npm', ['install', join(dir, tarball as string), '--no-audit', '--no-fund', '--omit=dev'], project);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/esbuild'))).toBe(false);

    const bin = join(project, 'node_modules/.bin/welfare-sim');
    const shipped = join(project, 'node_modules/welfare-sim/experiments');
    const stdout = run(bin, ['run', join(shipped, 'quickstart.yaml'), '--out', 'quick', '--threads', '2'], project);
    expect(stdout).toMatch(/^Ran \d+ conversations \(0 errored\)/);
    expect(existsSync(join(project, 'quick/report.html'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(project, 'quick/manifest.json'), 'utf8')) as { versions: Record<string, string> };
    for (const name of ['welfare-sim', 'xstate', 'zod', 'yaml', '@anthropic-ai/sdk']) {
      expect(manifest.versions[name], name).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});
