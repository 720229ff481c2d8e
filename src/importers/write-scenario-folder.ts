/**
 * Writes imported scenarios as a folder of YAML files, all or nothing: into a temporary sibling folder first,
 * then renamed into place, so an interrupted import never leaves a partial folder.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../common/input-error.ts';
import type { Scenario } from '../core/scenario.ts';

/**
 * @param schemaFile the scenario JSON Schema, referenced from each file (relative to the folder) for editors.
 * @throws InputError when `outDir` exists and is not empty.
 */
export function writeScenarioFolder(scenarios: readonly Scenario[], outDir: string, schemaFile: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw InputError.one('--out', '', `expected a new or empty folder, found ${outDir} with files in it`);
  }
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(outDir)}-`));
  const schema = relative(outDir, schemaFile).split('\\').join('/');
  for (const scenario of scenarios) {
    const text = `# yaml-language-server: $schema=${schema}\n${stringify(scenario, { lineWidth: 0 })}`;
    writeFileSync(join(staging, `${scenario.id}.yaml`), text);
  }
  if (existsSync(outDir)) rmdirSync(outDir);
  renameSync(staging, outDir);
}
