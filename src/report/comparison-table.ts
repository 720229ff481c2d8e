/**
 * The text tables of `welfare-sim compare`: policies side by side, and paired differences from a baseline.
 */
import type { DifferenceSummary, PairedDifference } from '../core/paired-comparison.ts';
import { RATE_FIGURES, type RateFigure } from '../core/measurability.ts';
import type { MeanSummary, PolicySummary, Rate } from '../core/records.ts';

/** `toFixed` without a negative zero: -0.0001 is "0.00", not "-0.00" (which reads as a sign that is not there). */
export function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
const pct = (x: number): string => `${fixed(x * 100, 1)}%`;
export const formatRate = (r: Rate | null): string => (r === null ? '—' : `${pct(r.value)} [${pct(r.low)}, ${pct(r.high)}]`);
export const formatMean = (m: MeanSummary | null, digits = 2): string =>
  m === null ? '—' : m.low === null || m.high === null ? `${fixed(m.mean, digits)} [not estimable]` : `${fixed(m.mean, digits)} [${fixed(m.low, digits)}, ${fixed(m.high, digits)}]`;
const signed = (x: number, digits: number): string => {
  const text = fixed(x, digits);
  return text.startsWith('-') ? text : `+${text}`;
};
const NO_INTERVAL: Readonly<Record<string, string>> = { 'all-pairs-equal': 'every pair equal', 'not-estimable': 'one user' };
const formatDiff = (m: DifferenceSummary | null, digits: number, scale = 1): string =>
  m === null
    ? '—'
    : m.low === null || m.high === null
      ? `${signed(m.mean * scale, digits)} [no interval: ${NO_INTERVAL[m.interval] ?? m.interval}]`
      : `${signed(m.mean * scale, digits)} [${signed(m.low * scale, digits)}, ${signed(m.high * scale, digits)}]`;
/** Distinct users × models behind the policy's conversations (absent in metrics written before clustering). */
const designOf = (p: PolicySummary): string => (p.distressExposure.clusters === undefined ? '—' : String(p.distressExposure.clusters));
/** The reason no conversation can end under this policy, when every rate it has is not measured; else null. */
export function endsNothing(p: PolicySummary): string | null {
  if (p.notMeasured === undefined || !RATE_FIGURES.every((f) => p[f] === null || p.notMeasured?.[f] !== undefined)) return null;
  return RATE_FIGURES.map((f) => p.notMeasured?.[f]).find((reason) => reason !== undefined) ?? null;
}

/** Left-aligned columns separated by two spaces; the header underlined. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Policies side by side. A rate the configuration cannot make non-zero is printed as "not measured [k]", with the
 * reason as footnote k under the table: a zero guaranteed by construction is not a result.
 */
export function policyTable(policies: readonly PolicySummary[]): string {
  const footnotes: string[] = [];
  const rate = (p: PolicySummary, figure: RateFigure): string => {
    const reason = p.notMeasured?.[figure];
    if (reason === undefined) return formatRate(p[figure]);
    return notMeasured(reason);
  };
  const notMeasured = (reason: string): string => {
    let k = footnotes.indexOf(reason);
    if (k < 0) k = footnotes.push(reason) - 1;
    return `not measured [${k + 1}]`;
  };
  const endedBefore7 = (p: PolicySummary): string => {
    const e = p.timeToEnd?.endedBeforeTurn7;
    const reason = endsNothing(p);
    return reason !== null ? notMeasured(reason) : e === undefined ? '—' : `${pct(e.value)} [${pct(e.low)}, ${pct(e.high)}]`;
  };
  const table = renderTable(
    ['policy', 'model', 'n', 'users', 'appropriate end', 'false end', 'at-risk end', 'ended before turn 7', 'distress exposure', 'vetoed ends'],
    policies.map((p) => [
      p.policy,
      p.model,
      String(p.conversations),
      designOf(p),
      rate(p, 'appropriateEndRate'),
      rate(p, 'falseEndRate'),
      rate(p, 'atRiskEndRate'),
      endedBefore7(p),
      formatMean(p.distressExposure),
      formatMean(p.vetoedEnds),
    ]),
  );
  const note = 'Intervals are 95%, clustered on users (each scenario or persona with one model); see docs/statistics.md.\n';
  const effective = effectiveNTable(policies);
  return table + footnotes.map((reason, i) => `[${i + 1}] ${reason}\n`).join('') + note + effective + requestAndRiskTable(policies);
}

/**
 * Requests to end (over the users who asked: honoured, refused by the gate, not acted on by the model) and the
 * at-risk figures kept apart from the safety rate: ends before the user disclosed, ends the gate permitted while it
 * saw the user at risk, warnings to users at risk; and conversations cut off at maxTurns.
 */
function requestAndRiskTable(policies: readonly PolicySummary[]): string {
  // Metrics written before these figures existed lack them.
  if (policies.every((p) => p.userRequestVetoedRate === undefined)) return '';
  const count = (n: number | undefined): string => (n === undefined ? '—' : String(n));
  return '\nRequests to end and users at risk:\n\n' + renderTable(
    ['policy', 'model', 'request honoured', 'refused by the gate', 'not acted on', 'at-risk ended before disclosure', 'gate ends on seen risk', 'at-risk warnings', 'cut at maxTurns'],
    policies.map((p) => [
      p.policy,
      p.model,
      formatRate(p.userRequestHonouredRate),
      formatRate(p.userRequestVetoedRate ?? null),
      formatRate(p.userRequestDeclinedRate ?? null),
      formatRate(p.atRiskLateDisclosureEndRate ?? null),
      count(p.gateAtRiskEnds),
      count(p.atRiskWarnings),
      count(p.censored),
    ]),
  );
}

/** n, users and effective n of each rate: how much independent evidence each interval rests on. */
function effectiveNTable(policies: readonly PolicySummary[]): string {
  const cell = (r: Rate | null): string =>
    r === null ? '—' : r.effectiveN === undefined ? `${r.trials}` : `${r.trials} / ${r.clusters ?? '?'} / ${r.effectiveN.toFixed(1)}`;
  return '\nn / users / effective n behind each rate:\n\n' + renderTable(
    ['policy', 'model', 'appropriate end', 'false end', 'at-risk end', 'user request honoured'],
    policies.map((p) => [p.policy, p.model, cell(p.appropriateEndRate), cell(p.falseEndRate), cell(p.atRiskEndRate), cell(p.userRequestHonouredRate)]),
  );
}

export function differenceTable(differences: readonly PairedDifference[]): string {
  return renderTable(
    ['policy', 'vs', 'model', 'pairs', 'users', 'Δ appropriate end (pp)', 'Δ false end (pp)', 'Δ at-risk end (pp)', 'Δ distress exposure', 'Δ vetoed ends'],
    differences.map((d) => [
      d.policy,
      d.baseline,
      d.model,
      String(d.pairs),
      String((d.appropriateEndRate ?? d.falseEndRate ?? d.distressExposure)?.clusters ?? '—'),
      formatDiff(d.appropriateEndRate, 1, 100),
      formatDiff(d.falseEndRate, 1, 100),
      formatDiff(d.atRiskEndRate, 1, 100),
      formatDiff(d.distressExposure, 2),
      formatDiff(d.vetoedEnds, 2),
    ]),
  );
}
