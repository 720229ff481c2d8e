// The newest modification time (ms) of the TypeScript sources of a checkout: src/ and machines/. Shared by the
// build (to skip an up-to-date build) and the bin (to never run a compiled copy older than the sources).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const top of ['src', 'machines']) walk(join(root, top));
  return newest;
}
