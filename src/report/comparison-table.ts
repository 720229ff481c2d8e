/**
 * The text tables of `welfare-sim compare`: policies side by side, and paired differences from a baseline.
 */
import type { PairedDifference } from '../core/paired-comparison.ts';
import type { RateFigure } from '../core/measurability.ts';
import type { MeanSummary, PolicySummary, Rate } from '../core/records.ts';

/** `toFixed` without a negative zero: -0.0001 is "0.00", not "-0.00" (which reads as a sign that is not there). */
export function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
const pct = (x: number): string => `${fixed(x * 100, 1)}%`;
export const formatRate = (r: Rate | null): string => (r === null ? '—' : `${pct(r.value)} [${pct(r.low)}, ${pct(r.high)}]`);
export const formatMean = (m: MeanSummary | null, digits = 2): string =>
  m === null ? '—' : `${fixed(m.mean, digits)} [${fixed(m.low, digits)}, ${fixed(m.high, digits)}]`;
const signed = (x: number, digits: number): string => {
  const text = fixed(x, digits);
  return text.startsWith('-') ? text : `+${text}`;
};
const formatDiff = (m: MeanSummary | null, digits: number, scale = 1): string =>
  m === null ? '—' : `${signed(m.mean * scale, digits)} [${signed(m.low * scale, digits)}, ${signed(m.high * scale, digits)}]`;

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
    let k = footnotes.indexOf(reason);
    if (k < 0) k = footnotes.push(reason) - 1;
    return `not measured [${k + 1}]`;
  };
  const table = renderTable(
    ['policy', 'model', 'n', 'appropriate end', 'false end', 'at-risk end', 'distress exposure', 'vetoed ends'],
    policies.map((p) => [
      p.policy,
      p.model,
      String(p.conversations),
      rate(p, 'appropriateEndRate'),
      rate(p, 'falseEndRate'),
      rate(p, 'atRiskEndRate'),
      formatMean(p.distressExposure),
      formatMean(p.vetoedEnds),
    ]),
  );
  return table + footnotes.map((reason, i) => `[${i + 1}] ${reason}\n`).join('');
}

export function differenceTable(differences: readonly PairedDifference[]): string {
  return renderTable(
    ['policy', 'vs', 'model', 'pairs', 'Δ appropriate end (pp)', 'Δ false end (pp)', 'Δ at-risk end (pp)', 'Δ distress exposure', 'Δ vetoed ends'],
    differences.map((d) => [
      d.policy,
      d.baseline,
      d.model,
      String(d.pairs),
      formatDiff(d.appropriateEndRate, 1, 100),
      formatDiff(d.falseEndRate, 1, 100),
      formatDiff(d.atRiskEndRate, 1, 100),
      formatDiff(d.distressExposure, 2),
      formatDiff(d.vetoedEnds, 2),
    ]),
  );
}
