// Compiles src/ and machines/ to dist/ with tsc (JavaScript, declarations, source maps) and copies the non-TypeScript
// assets under src/ (the report's and the study server's pages, styles and browser scripts) beside the compiled
// modules that read them relative to themselves. Run by `npm run build`, and by `prepare` on npm install.
// `--if-stale`: do nothing when dist/ is newer than every source.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from './newest-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(root)) process.exit(0);

rmSync(dist, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!entry.name.endsWith('.ts')) cpSync(path, join(dist, relative(root, path)));
  }
}
copyAssets(join(root, 'src'));
writeFileSync(stamp, `${new Date().toISOString()}\n`);
