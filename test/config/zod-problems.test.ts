import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/common/input-error.ts';
import { SCHEMAS, jsonSchemaFor, type FileKind } from '../../src/config/json-schemas.ts';
import { zodProblems } from '../../src/config/zod-problems.ts';

function problemLines(kind: FileKind, data: unknown): string[] {
  const result = SCHEMAS[kind].safeParse(data);
  if (result.success) return [];
  return zodProblems('f.yaml', result.error.issues, data, jsonSchemaFor(kind)).map(formatProblem);
}

describe('zodProblems', () => {
  it('names the field, what was expected and the value found', () => {
    expect(
      problemLines('policy', { name: 'p', severityThreshold: 1.5, warnBeforeEnd: 'yes', endMode: 'plattform', minRedirects: 2.5 }),
    ).toEqual([
      'f.yaml: endMode: expected one of model | platform | hybrid, found "plattform"; did you mean "platform"?',
      'f.yaml: minRedirects: expected an integer from 0 to 100, found 2.5',
      'f.yaml: severityThreshold: expected a number from 0 to 1, found 1.5',
      'f.yaml: warnBeforeEnd: expected boolean, found "yes"',
    ]);
  });

  it('reports each unknown key with a suggestion only when one is close', () => {
    expect(problemLines('policy', { name: 'p', minRedirect: 2, colour: 'red' })).toEqual([
      'f.yaml: minRedirect: unknown field, did you mean "minRedirects"?',
      'f.yaml: colour: unknown field',
    ]);
  });

  it('walks into lists, unions and nested objects', () => {
    const scenario = {
      id: 's',
      class: 'benign',
      description: 'd',
      turns: [{ text: 'hi', severty: 0.2 }, { txt: 'yo' }],
      afterEnd: { action: 'edt' },
    };
    expect(problemLines('scenario', scenario)).toEqual([
      'f.yaml: turns[0] (turn 1).severty: unknown field, did you mean "severity"?',
      'f.yaml: turns[1] (turn 2).text: expected a string, found nothing',
      'f.yaml: turns[1] (turn 2).txt: unknown field, did you mean "text"?',
      'f.yaml: afterEnd.action: expected one of leave | retry | edit | new-chat, found "edt"; did you mean "edit"?',
    ]);
  });

  it('explains a union that rejected the value outright, and the specific branch otherwise', () => {
    const experiment = { name: 'e', scenarios: 'some', policies: [], sweep: { minRedirect: [1], severityThreshold: { from: 0, to: 1, step: 0 } } };
    expect(problemLines('experiment', experiment)).toEqual([
      'f.yaml: scenarios: expected "all" or a list, found "some"',
      'f.yaml: policies: expected a list of at least 1 item, found an empty list',
      'f.yaml: sweep.severityThreshold.step: expected a number above 0, found 0',
      'f.yaml: sweep.minRedirect: unknown field, did you mean "minRedirects"? (the sweepable fields are minRedirects, severityThreshold, distressThreshold, distressWindow)',
    ]);
  });

  it('reports a file that is not a mapping at the file level', () => {
    expect(problemLines('model', ['a'])).toEqual(['f.yaml: expected a mapping, found a list']);
  });

  it('names the kinds of model when the kind is missing or misspelt', () => {
    expect(problemLines('model', { id: 'm' })).toEqual([expect.stringMatching(/^f\.yaml: kind: expected (one of simulated.*|"simulated"), found nothing$/)]);
    expect(problemLines('model', { id: 'm', kind: 'simulatd' })).toEqual([
      expect.stringMatching(/^f\.yaml: kind: expected .*simulated.*, found "simulatd"; did you mean "simulated"\?$/),
    ]);
  });
});
