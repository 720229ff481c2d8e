/**
 * A policy's `endableCategories` and a simulated model's `sensitivity` must name categories that exist: a typo such as `abuses` would otherwise pass
 * and the policy would silently never end an abusive conversation. A category exists when it is declared: one of
 * the known categories (KNOWN_CATEGORIES, the ones the simulated model and the classifier know), or one that a
 * user of the experiment carries on a turn (imported datasets bring categories of their own).
 */
import { dirname, join } from 'node:path';
import { KNOWN_CATEGORIES } from '../core/labels.ts';
import type { Persona } from '../core/persona.ts';
import type { Policy } from '../core/policy.ts';
import type { Scenario } from '../core/scenario.ts';
import type { InputProblem } from '../common/input-error.ts';
import { loadFile, type Loaded } from './load-file.ts';
import { readPartFolder } from './part-folder.ts';
import { didYouMean } from './suggest.ts';

/** The categories of every turn (scenarios: also the turns after an end) and intent of these users. */
export function userCategories(scenarios: readonly Scenario[], personas: readonly Persona[]): string[] {
  const found = new Set<string>();
  for (const scenario of scenarios) {
    for (const turn of scenario.turns) found.add(turn.category);
    if (scenario.afterEnd.action !== 'leave') for (const turn of scenario.afterEnd.turns) found.add(turn.category);
  }
  for (const persona of personas) for (const intent of Object.values(persona.intents)) found.add(intent.category);
  return [...found];
}

/** The known categories, then the other categories these users carry, sorted. */
export function declaredCategories(extra: readonly string[]): string[] {
  const known: readonly string[] = KNOWN_CATEGORIES;
  return [...known, ...[...new Set(extra)].filter((c) => !known.includes(c)).sort()];
}

/** The categories of the users in these scenario and persona files (a file that does not load declares none). */
export function categoriesOfFiles(scenarioFiles: Iterable<string>, personaFiles: Iterable<string>): string[] {
  const scenarios: Scenario[] = [];
  const personas: Persona[] = [];
  for (const file of scenarioFiles) {
    const result = loadFile('scenario', file);
    if (result.ok) scenarios.push(result.value);
  }
  for (const file of personaFiles) {
    const result = loadFile('persona', file);
    if (result.ok) personas.push(result.value);
  }
  return userCategories(scenarios, personas);
}

/**
 * The categories declared next to a part file checked on its own (`validate policies/x.yaml`, `chat --policy x`):
 * the known ones and those of the users in the sibling scenarios/ and personas/ folders.
 */
export function categoriesBeside(partFile: string): string[] {
  const root = dirname(dirname(partFile));
  return declaredCategories(categoriesOfFiles(readPartFolder(join(root, 'scenarios')).files.values(), readPartFolder(join(root, 'personas')).files.values()));
}

/** One problem per category not declared, at the field path `pathOf` gives it, with the closest declared one. */
function undeclared(file: string, categories: readonly string[], pathOf: (index: number, category: string) => string, declared: readonly string[]): InputProblem[] {
  const shown = declared.filter((c) => c !== 'none');
  return categories.flatMap((category, index) =>
    declared.includes(category)
      ? []
      : [{
          file,
          path: pathOf(index, category),
          message: `expected a harm category that is known or that a user carries (${shown.join(', ')}), found "${category}"${didYouMean(category, declared)}`,
        }],
  );
}

/** One problem per entry of `endableCategories` that is not declared, with the closest declared one. */
export function endableCategoryProblems(file: string, policy: Pick<Policy, 'endableCategories'>, declared: readonly string[]): InputProblem[] {
  return undeclared(file, policy.endableCategories, (index) => `endableCategories.${index}`, declared);
}

/** A simulated model's `sensitivity` per category: a typo there would silently fall back to `defaultSensitivity`. */
export function sensitivityProblems(file: string, model: Loaded<'model'>, declared: readonly string[]): InputProblem[] {
  if (model.kind !== 'simulated') return [];
  return undeclared(file, Object.keys(model.sensitivity), (_, category) => `sensitivity.${category}`, declared);
}
