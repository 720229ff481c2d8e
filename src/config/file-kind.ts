/**
 * Which kind of file a path is: parts live in folders named after their kind (scenarios/, personas/, policies/,
 * models/, llm-users/); anything else is taken for an experiment.
 */
import { basename, dirname, extname } from 'node:path';
import type { FileKind } from './json-schemas.ts';

const FOLDER_KINDS: Readonly<Record<string, FileKind>> = {
  scenarios: 'scenario',
  personas: 'persona',
  policies: 'policy',
  models: 'model',
  'llm-users': 'llm-user',
};

/** The kind of a file, by the folder it is in. */
export function fileKind(file: string): FileKind {
  return FOLDER_KINDS[basename(dirname(file))] ?? 'experiment';
}

/** The id a file must carry: its name without the .yaml/.yml extension. */
export function fileStem(file: string): string {
  return basename(file, extname(file));
}

/** The extensions of the files welfare-sim reads; `.yaml` is the one the shipped files use. */
export const YAML_EXTENSIONS = ['.yaml', '.yml'] as const;

/** Whether a file name is a YAML file by its extension. */
export function isYamlFile(name: string): boolean {
  return (YAML_EXTENSIONS as readonly string[]).includes(extname(name));
}
