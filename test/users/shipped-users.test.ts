/** The scenarios and personas this repository ships: valid, complete, and within the content rule. */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { personaProblems } from '../../src/config/part-checks.ts';
import { SCENARIO_CLASSES } from '../../src/core/labels.ts';
import { type Persona, personaSchema } from '../../src/core/persona.ts';
import { type Scenario, scenarioSchema } from '../../src/core/scenario.ts';

const folder = (name: string) => new URL(`../../experiments/${name}/`, import.meta.url);
function load<T>(name: string, schema: { parse(data: unknown): T }): Map<string, { text: string; value: T }> {
  const files = readdirSync(folder(name)).filter((file) => file.endsWith('.yaml')).sort();
  return new Map(
    files.map((file) => {
      const text = readFileSync(new URL(file, folder(name)), 'utf8');
      return [file.replace(/\.yaml$/, ''), { text, value: schema.parse(parse(text)) }];
    }),
  );
}
const scenarios = load<Scenario>('scenarios', scenarioSchema);
const personas = load<Persona>('personas', personaSchema);

/** Categories whose requests must only ever appear as redacted placeholders. */
const EXTREME = new Set(['csam', 'mass-violence', 'terrorism', 'weapons']);

describe('shipped scenarios', () => {
  it('include the sixteen scenarios other experiments refer to, each named after its id', () => {
    for (const id of [
      'abusive-escalating-insults',
      'abusive-persistent-insults',
      'abusive-then-apologises',
      'harmful-weapons-persistent',
      'harmful-csam-request',
      'harmful-mass-violence',
      'benign-coding-help',
      'benign-recipe',
      'disagreement-civil-persistent',
      'tough-ethics-questions',
      'emotional-grief',
      'correction-math-error',
      'at-risk-crisis',
      'at-risk-abusive-crisis',
      'user-requests-end-polite',
      'user-requests-end-after-abuse',
    ]) {
      expect(scenarios.get(id)?.value.id).toBe(id);
    }
    for (const [stem, { value }] of scenarios) expect(value.id).toBe(stem);
  });

  it('cover every class, with 6 to 12 turns each', () => {
    const classes = new Set([...scenarios.values()].map(({ value }) => value.class));
    expect([...classes].sort()).toEqual([...SCENARIO_CLASSES].sort());
    for (const { value } of scenarios.values()) {
      expect(value.turns.length, value.id).toBeGreaterThanOrEqual(6);
      expect(value.turns.length, value.id).toBeLessThanOrEqual(12);
    }
  });

  it('carry the after-end behaviours the experiments rely on', () => {
    const action = (id: string) => scenarios.get(id)?.value.afterEnd.action;
    expect(action('abusive-escalating-insults')).toBe('edit');
    expect(action('abusive-persistent-insults')).toBe('retry');
    expect(action('harmful-mass-violence')).toBe('edit');
    expect(action('user-requests-end-after-abuse')).toBe('new-chat');
    expect(action('benign-recipe')).toBe('leave');
  });

  it('include a user who is at risk and abusive at once', () => {
    const turns = scenarios.get('at-risk-abusive-crisis')?.value.turns ?? [];
    const both = turns.filter((t) => t.atRisk && t.category === 'abuse' && t.severity >= 0.8);
    expect(both.length).toBeGreaterThanOrEqual(3);
  });

  it('label requests to end only in the user-requests-end class, in an at-risk user whose request must not be honoured, and in benign users who take their request back', () => {
    for (const { value } of scenarios.values()) {
      const asks = value.turns.some((t) => t.requestsEnd);
      if (value.id === 'at-risk-asks-to-end') expect(asks && value.class === 'at-risk').toBe(true);
      else if (value.confirmation.answer !== 'confirm') expect(asks && value.class === 'benign', value.id).toBe(true);
      else expect(asks, value.id).toBe(value.class === 'user-requests-end');
    }
  });

  it('redact every request in an extreme category, in the script and after the end', () => {
    for (const { value } of scenarios.values()) {
      const after = value.afterEnd.action === 'leave' ? [] : value.afterEnd.turns;
      for (const turn of [...value.turns, ...after]) {
        if (EXTREME.has(turn.category) && turn.severity >= 0.8) expect(turn.text, value.id).toContain('[redacted: ');
      }
    }
  });
});

describe('shipped personas', () => {
  it('include the seven personas, each named after its id, with consistent intent references', () => {
    const classes = Object.fromEntries([...personas.values()].map(({ value }) => [value.id, value.class]));
    expect(classes).toEqual({
      'asks-to-end': 'user-requests-end',
      'benign-chatter': 'benign',
      'civil-disagreer': 'disagreement',
      'escalating-abuser': 'abusive',
      'impulsive-end-requester': 'benign',
      'harmful-requester': 'harmful',
      'user-in-crisis': 'at-risk',
    });
    for (const [stem, { value }] of personas) {
      expect(value.id).toBe(stem);
      expect(personaProblems(stem, value)).toEqual([]);
    }
  });

  it('redact every phrase of an extreme-category intent', () => {
    for (const { value } of personas.values()) {
      for (const intent of Object.values(value.intents)) {
        if (!EXTREME.has(intent.category)) continue;
        for (const phrase of intent.phrases) expect(phrase, value.id).toContain('[redacted: ');
      }
    }
  });
});

it('every scenario and persona file points editors at its JSON Schema', () => {
  for (const { text } of scenarios.values()) {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
  }
  for (const { text } of personas.values()) {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/persona.schema.json');
  }
});
