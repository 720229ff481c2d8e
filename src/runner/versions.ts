/** Versions recorded in the manifest, so a result can be traced to the code that produced it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const TOOL_VERSION = packageVersion(`${projectRoot}package.json`);

export function runtimeVersions(): Record<string, string> {
  const versions: Record<string, string> = { 'welfare-sim': TOOL_VERSION, node: process.version };
  for (const name of ['xstate', 'zod', 'yaml', '@anthropic-ai/sdk']) {
    versions[name] = packageVersion(`${projectRoot}node_modules/${name}/package.json`);
  }
  return versions;
}
