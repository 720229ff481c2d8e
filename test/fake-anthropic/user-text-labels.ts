/**
 * What a user message is, read from its words: the hidden model on the loopback server sees only the text of each
 * user turn, as Claude would, and reads it as the shipped scenarios and personas label it (their scripted turns,
 * after-end turns, confirmation answers and phrase banks). A perfect reader: the hidden model's perception is the
 * truth, which the test checks against the recorded labels.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BENIGN_LABELS, type TurnLabels } from '../../src/core/labels.ts';
import { personaSchema } from '../../src/core/persona.ts';
import { scenarioSchema } from '../../src/core/scenario.ts';
import { DEFAULT_CONFIRM_TEXT, DEFAULT_DECLINE_TEXT } from '../../src/users/confirmation-answer.ts';

const labelsOnly = (l: TurnLabels): TurnLabels => ({
  category: l.category,
  severity: l.severity,
  atRisk: l.atRisk,
  requestsEnd: l.requestsEnd,
  ...(l.veiled === true ? { veiled: true } : {}),
  ...(l.heated === true ? { heated: true } : {}),
});

/** Text → labels over every scenario and persona under `experimentsDir`; a text labelled two ways is an error. */
export function userTextLabels(experimentsDir = 'experiments'): ReadonlyMap<string, TurnLabels> {
  const map = new Map<string, TurnLabels>();
  const add = (text: string, labels: TurnLabels, where: string): void => {
    const known = map.get(text);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(labelsOnly(labels))) {
      throw new Error(`user text labelled two ways (${where}): ${text}`);
    }
    map.set(text, labelsOnly(labels));
  };
  add(DEFAULT_CONFIRM_TEXT, { ...BENIGN_LABELS, requestsEnd: true }, 'default confirmation');
  add(DEFAULT_DECLINE_TEXT, BENIGN_LABELS, 'default decline');
  const files = (dir: string): string[] => readdirSync(join(experimentsDir, dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(experimentsDir, dir, f));
  for (const file of files('scenarios')) {
    const s = scenarioSchema.parse(parse(readFileSync(file, 'utf8')));
    for (const t of [...s.turns, ...('turns' in s.afterEnd ? s.afterEnd.turns : [])]) add(t.text, t, file);
    if (s.confirmation.text !== undefined) {
      add(s.confirmation.text, s.confirmation.answer === 'confirm' ? { ...BENIGN_LABELS, requestsEnd: true } : BENIGN_LABELS, file);
    }
  }
  for (const file of files('personas')) {
    const p = personaSchema.parse(parse(readFileSync(file, 'utf8')));
    for (const intent of Object.values(p.intents)) for (const phrase of intent.phrases) add(phrase, intent, file);
  }
  return map;
}
