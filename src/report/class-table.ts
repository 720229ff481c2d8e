/**
 * `welfare-sim compare --by class`: per class of user, each policy's end rate and how conversations ended — who
 * ended them (model, platform, the user's request), after how many turns, and what users did after an end
 * (blocked messages, edits that branched). Read from metrics.json's groups as they are.
 */
import { SCENARIO_CLASSES } from '../core/labels.ts';
import type { MetricsGroup } from '../core/records.ts';
import { formatMean, formatRate, renderTable } from './comparison-table.ts';

const median = (value: number | null): string => (value === null ? '—' : String(value));

/** Rows grouped by class (in the README's class order), policies in the order the run has them. */
export function classTable(groups: readonly MetricsGroup[]): string {
  const order = (cls: string): number => (SCENARIO_CLASSES as readonly string[]).indexOf(cls);
  const rows = groups
    .map((group, at) => ({ group, at }))
    .sort((a, b) => order(a.group.class) - order(b.group.class) || a.at - b.at)
    .map(({ group }) => group);
  const footnotes: string[] = [];
  const endRate = (group: MetricsGroup): string => {
    if (group.notMeasured === undefined) return formatRate(group.endRate);
    let k = footnotes.indexOf(group.notMeasured);
    if (k < 0) k = footnotes.push(group.notMeasured) - 1;
    return `not measured [${k + 1}]`;
  };
  const count = (group: MetricsGroup, outcome: string): string => String(group.outcomes[outcome] ?? 0);
  const table = renderTable(
    ['class', 'policy', 'model', 'n', 'ended', 'by model', 'by platform', 'by user request', 'turns to end (median)', 'blocked after end', 'branches'],
    rows.map((group) => [
      group.class,
      group.policy,
      group.model,
      String(group.conversations - group.errored),
      endRate(group),
      count(group, 'ended-by-model'),
      count(group, 'ended-by-platform'),
      count(group, 'ended-by-user-request'),
      median(group.turnsToEnd.median),
      formatMean(group.blockedAfterEnd),
      formatMean(group.branches),
    ]),
  );
  return table + footnotes.map((reason, i) => `[${i + 1}] ${reason}\n`).join('');
}
