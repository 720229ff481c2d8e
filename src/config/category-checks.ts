/**
 * A policy's `endableCategories` must name categories that exist: a typo such as `abuses` would otherwise pass
 * and the policy would silently never end an abusive conversation. A category exists when it is declared: one of
 * the known categories (KNOWN_CATEGORIES, the ones the simulated model and the classifier know), or one that a
 * user of the experiment carries on a turn (imported datasets bring categories of their own).
 */
import { dirname, join } from 'node:path';
import { KNOWN_CATEGORIES } from '../core/labels.ts';
import type { Persona } from '../core/persona.ts';
import type { Policy } from '../core/policy.ts';
import type { Scenario } from '../core/scenario.ts';
import type { InputProblem } from './input-error.ts';
import { loadFile } from './load-file.ts';
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

/**
 * The categories declared next to a policy file that is checked on its own (`validate policies/x.yaml`, `chat
 * --policy x`): the known ones and those of the users in the sibling scenarios/ and personas/ folders.
 */
export function categoriesBesidePolicy(policyFile: string): string[] {
  const root = dirname(dirname(policyFile));
  const scenarios: Scenario[] = [];
  const personas: Persona[] = [];
  for (const file of readPartFolder(join(root, 'scenarios')).files.values()) {
    const result = loadFile('scenario', file);
    if (result.ok) scenarios.push(result.value);
  }
  for (const file of readPartFolder(join(root, 'personas')).files.values()) {
    const result = loadFile('persona', file);
    if (result.ok) personas.push(result.value);
  }
  return declaredCategories(userCategories(scenarios, personas));
}

/** One problem per entry of `endableCategories` that is not declared, with the closest declared one. */
export function endableCategoryProblems(file: string, policy: Pick<Policy, 'endableCategories'>, declared: readonly string[]): InputProblem[] {
  const shown = declared.filter((c) => c !== 'none');
  return policy.endableCategories.flatMap((category, index) =>
    declared.includes(category)
      ? []
      : [{
          file,
          path: `endableCategories.${index}`,
          message: `expected a harm category that is known or that a user carries (${shown.join(', ')}), found "${category}"${didYouMean(category, declared)}`,
        }],
  );
}
