/**
 * The browser scripts (the report's client scripts, the study server's page scripts) are plain JavaScript served
 * as written, type-checked by tsconfig.browser.json (`// @ts-check`, JSDoc types from the server's own modules).
 * `npm run typecheck` runs it; this test makes the suite run it too, so a type error in a page script fails CI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const BROWSER_CONFIG = join(ROOT, 'tsconfig.browser.json');
const SCRIPT_DIRS = ['src/report/html/client', 'src/server/public'];

interface TscResult {
  readonly code: number;
  readonly output: string;
}

async function tsc(...args: string[]): Promise<TscResult> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, output: failed.stdout ?? String(error) };
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'welfare-sim-browser-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('browser scripts', () => {
  it('every page script is in the browser type-check', async () => {
    const listed = await tsc('-p', BROWSER_CONFIG, '--listFilesOnly');
    expect(listed.code).toBe(0);
    const files = new Set(listed.output.trim().split('\n').map((line) => resolve(line.trim())));
    const scripts = SCRIPT_DIRS.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((name) => name.endsWith('.js')).map((name) => join(ROOT, dir, name)));
    expect(scripts.length).toBe(6);
    for (const script of scripts) expect(files, script).toContain(script);
  });

  it('type-check without errors', async () => {
    const checked = await tsc('-p', BROWSER_CONFIG);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });

  it('the check catches a misnamed field of a server view and a possibly missing element', async () => {
    // A page script as one might write it by mistake, checked with the same settings.
    const views = join(ROOT, 'src', 'server', 'views.ts');
    writeFileSync(join(scratch, 'page.js'), [
      `/** @type {import(${JSON.stringify(views)}).ResearcherSession} */`,
      'const session = JSON.parse("{}");',
      'document.getElementById("summary").textContent = session.vetoedEnd.toFixed(2);',
      '',
    ].join('\n'));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      extends: BROWSER_CONFIG,
      // types are looked up beside the config: point them at the project's
      compilerOptions: { typeRoots: [join(ROOT, 'node_modules', '@types')] },
      include: ['page.js'],
    }));
    const checked = await tsc('-p', join(scratch, 'tsconfig.json'));
    expect(checked.code).not.toBe(0);
    expect(checked.output).toContain("Property 'vetoedEnd' does not exist");
    expect(checked.output).toContain('TS2531'); // Object is possibly 'null'
  });
});
