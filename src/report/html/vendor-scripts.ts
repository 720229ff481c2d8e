/**
 * The vega, vega-lite and vega-embed browser builds, read from node_modules so the page carries them inline
 * and renders interactive charts from file:// with no network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inlineScript } from './escape.ts';

const require = createRequire(import.meta.url);

/** The package's root folder (its exports hide package.json, so walk up from its entry point). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(name)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of the ${name} package`);
    dir = parent;
  }
  return dir;
}

const BUILDS = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

let cached: string | undefined;

/** The three builds concatenated in load order, checked to be safe inside `<script>`. */
export function vendorScripts(): string {
  cached ??= BUILDS.map(([pkg, file]) => inlineScript(readFileSync(join(packageDir(pkg), file), 'utf8'), `${pkg}/${file}`)).join('\n;\n');
  return cached;
}
