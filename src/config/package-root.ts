/**
 * The installed package's root folder (where its package.json, experiments/ and docs/ live), found by walking up
 * from this module. The code runs from src/ in a clone and from dist/src/ in an installed copy, at different
 * depths, so no fixed relative path is right for both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'welfare-sim';
let cached: string | undefined;

export function packageRoot(): string {
  cached ??= findUp(dirname(fileURLToPath(import.meta.url)), PACKAGE_NAME);
  return cached;
}

/** The nearest folder above `start` whose package.json has the name `name`. */
export function findUp(start: string, name: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named ${name} above ${start}`);
  }
}
