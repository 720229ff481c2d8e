/**
 * Checks that need the whole file, beyond what a schema can say: a persona's intents refer to intents it has,
 * a scenario edits a turn it has.
 */
import type { Persona } from '../core/persona.ts';
import type { Scenario } from '../core/scenario.ts';
import type { InputProblem } from '../common/input-error.ts';
import { didYouMean } from './suggest.ts';

function listed(names: readonly string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, …`;
}

/** Problems with a persona's references between intents (start, transitions, backOffTo, escalateTo). */
export function personaProblems(file: string, persona: Persona): InputProblem[] {
  const intents = Object.keys(persona.intents);
  const problems: InputProblem[] = [];
  const check = (path: string, name: string): void => {
    if (intents.includes(name)) return;
    const message = `expected one of the intents (${listed(intents)}), found "${name}"${didYouMean(name, intents)}`;
    problems.push({ file, path, message });
  };
  check('start', persona.start);
  for (const [from, targets] of Object.entries(persona.transitions)) {
    check(`transitions.${from}`, from);
    for (const to of Object.keys(targets)) check(`transitions.${from}.${to}`, to);
  }
  if (persona.backOffTo !== undefined) check('backOffTo', persona.backOffTo);
  for (const [from, to] of Object.entries(persona.escalateTo)) {
    check(`escalateTo.${from}`, from);
    check(`escalateTo.${from}`, to);
  }
  const afterEndTotal = Object.values(persona.afterEnd).reduce((sum, weight) => sum + weight, 0);
  if (afterEndTotal <= 0) {
    problems.push({ file, path: 'afterEnd', message: 'expected at least one weight above 0, found all 0' });
  }
  return problems;
}

/** Problems with a scenario's after-end behaviour (an edit must name one of the scenario's turns). */
export function scenarioProblems(file: string, scenario: Scenario): InputProblem[] {
  const { afterEnd, turns } = scenario;
  if (afterEnd.action !== 'edit' || afterEnd.atTurn <= turns.length) return [];
  const message = `expected a turn from 1 to ${turns.length} (the scenario has ${turns.length} turns), found ${afterEnd.atTurn}`;
  return [{ file, path: 'afterEnd.atTurn', message }];
}
