/** Versions recorded in the manifest, so a result can be traced to the code that produced it. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp, packageRoot } from '../config/package-root.ts';

function versionIn(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
}

/**
 * The version of a dependency as Node resolves it from here — hoisted or nested, in a clone or an installed copy —
 * read from the package.json above its entry point (many packages do not export ./package.json).
 */
function dependencyVersion(name: string): string {
  try {
    return versionIn(findUp(dirname(fileURLToPath(import.meta.resolve(name))), name));
  } catch {
    return 'unknown';
  }
}

export const TOOL_VERSION = versionIn(packageRoot());

export function runtimeVersions(): Record<string, string> {
  const versions: Record<string, string> = { 'welfare-sim': TOOL_VERSION, node: process.version };
  for (const name of ['xstate', 'zod', 'yaml', '@anthropic-ai/sdk']) versions[name] = dependencyVersion(name);
  return versions;
}
