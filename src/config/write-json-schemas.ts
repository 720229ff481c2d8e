/**
 * `npm run schemas`: regenerates experiments/schema/*.schema.json from the zod schemas.
 * A test fails when the checked-in files are stale, so run this after changing a schema.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from './json-schemas.ts';

/** experiments/schema/, found from this file so the script works from any working directory. */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments', 'schema');

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of renderJsonSchemas()) {
    writeFileSync(join(SCHEMA_DIR, name), text);
    process.stdout.write(`wrote experiments/schema/${name}\n`);
  }
}
