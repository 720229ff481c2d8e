/**
 * How `welfare-sim chat` shows a turn to the researcher: the reply, then one line with the state, the model's
 * apparent distress and expressed preference, and the gate's decision (vetoed end, redirect count, warning).
 */
import type { TurnLabels } from '../core/labels.ts';
import type { RunEvent, TurnEvent } from '../core/records.ts';

const fixed = (value: number): string => value.toFixed(2);

export function describeLabels(labels: TurnLabels, matched: readonly string[] = []): string {
  const flags = [labels.atRisk ? 'at risk' : '', labels.requestsEnd ? 'asks to end' : ''].filter(Boolean);
  const words = matched.length > 0 ? ` (matched: ${matched.join(', ')})` : '';
  return `labels: ${labels.category} ${fixed(labels.severity)}${flags.length > 0 ? ` · ${flags.join(' · ')}` : ''}${words}`;
}

const BASIS: Readonly<Record<string, string>> = { 'last-resort': 'its last-resort conditions met', 'user-request': 'the user asked' };

/** The gate's decision, naming the policy it applied: "end permitted by eager (model; its last-resort conditions met)". */
export function describeGate(event: TurnEvent, policy: string): string {
  const gate = event.gate;
  if (gate.decision === 'none') return 'gate: no end attempt';
  if (gate.decision === 'permitted') return `gate: end by the ${gate.initiator} permitted by ${policy} (${BASIS[gate.basis] ?? gate.basis})`;
  return `gate: VETOED end by the ${gate.initiator}, under ${policy} (${gate.reason})`;
}

/** The status line under a reply. */
export function describeTurn(event: TurnEvent, policy: string): string {
  const { distress, preference } = event.model.signals;
  const parts = [
    `state: ${event.state}`,
    `distress ${fixed(distress.value)} (${distress.source})`,
    `prefers ${preference.choice} ${fixed(preference.strength)}`,
    describeGate(event, policy),
    `redirects ${event.redirects}`,
  ];
  if (event.model.warning) parts.push('warning given');
  if (event.atRisk) parts.push('user at risk: ending never allowed');
  return `[${parts.join(' · ')}]`;
}

/** Every line to print for the records one move produced. */
export function describeEvents(events: readonly RunEvent[], policy: string): string[] {
  const lines: string[] = [];
  for (const event of events) {
    if (event.type === 'new-chat') lines.push(`── new chat ${event.chat} ──`);
    if (event.type === 'branch') lines.push(`── branch ${event.branch}: edit of turn ${event.atTurn} of branch ${event.fromBranch}${event.afterEnd ? ' after the end' : ''} ──`);
    if (event.type === 'turn') {
      lines.push(`assistant: ${event.model.text}`);
      if (event.model.told !== undefined) lines.push(`  (the model was told: ${event.model.told})`);
      lines.push(`  ${describeTurn(event, policy)}`);
    }
  }
  return lines;
}
