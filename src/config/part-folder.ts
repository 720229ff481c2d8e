/**
 * A folder of parts (experiments/scenarios/, …): which ids it holds, and where each id's file is.
 * A part's id is its file name without the extension.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileStem, isYamlFile } from './file-kind.ts';
import type { InputProblem } from '../common/input-error.ts';

export interface PartFolder {
  /** The folder as it is shown to the user (relative to where the experiment file was named from). */
  readonly folder: string;
  /** Whether the folder exists at all. */
  readonly exists: boolean;
  /** id → file path, ids sorted. */
  readonly files: ReadonlyMap<string, string>;
  /** Two files with the same id (x.yaml and x.yml). */
  readonly problems: readonly InputProblem[];
}

/** Lists the YAML files of a folder by id. A missing folder is an empty one with `exists: false`. */
export function readPartFolder(folder: string): PartFolder {
  let names: string[];
  try {
    names = readdirSync(folder).filter(isYamlFile).sort();
  } catch {
    return { folder, exists: false, files: new Map(), problems: [] };
  }
  const files = new Map<string, string>();
  const problems: InputProblem[] = [];
  for (const name of names) {
    const id = fileStem(name);
    const earlier = files.get(id);
    if (earlier === undefined) files.set(id, join(folder, name));
    else problems.push({ file: join(folder, name), path: '', message: `expected a unique id, found "${id}" again (also ${earlier})` });
  }
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { folder, exists: true, files: sorted, problems };
}

/** "eager, last-resort, …" — the first few ids of a folder, for a message. */
export function someIds(ids: readonly string[], shown = 6): string {
  if (ids.length === 0) return 'none';
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')}, …`;
}
