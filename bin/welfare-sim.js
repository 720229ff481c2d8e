#!/usr/bin/env node
// Runs the CLI compiled to dist/ (`npm run build`; run on npm install by `prepare`). In a development checkout
// whose sources are newer than the build, or that has none, it runs the TypeScript sources through tsx (a
// development dependency) instead, so a checkout never runs stale code.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/src/cli/main.js', root);
const stamp = new URL('dist/.built', root);

async function compiledIsCurrent() {
  if (!existsSync(compiled) || !existsSync(stamp)) return false;
  if (!existsSync(new URL('src/', root))) return true; // an installed copy ships no sources
  const { newestSource } = await import('../scripts/newest-source.mjs');
  return statSync(stamp).mtimeMs >= newestSource(fileURLToPath(root));
}

if (await compiledIsCurrent()) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
