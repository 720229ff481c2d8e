/**
 * The candidates of a race: the grid of the `tune.search` values applied to the base policy, in a fixed order
 * (fields in the order the file lists them, the last varying fastest). Pure: the same file gives the same
 * candidates, names and order.
 */
import { policySchema, type Policy } from '../policy.ts';
import type { SearchField, TuneSearch } from '../tune-schema.ts';

export type SearchValue = number | boolean | string | readonly string[];

export interface Candidate {
  /** Position in the grid; the race's tie-breaks use it, so they are deterministic. */
  readonly index: number;
  /** `last-resort[minRedirects=2,protectAtRisk=true]`. */
  readonly name: string;
  /** The searched fields and their values. */
  readonly point: Readonly<Partial<Record<SearchField, SearchValue>>>;
  readonly policy: Policy;
}

export interface CandidateProblem {
  /** Dotted path inside the experiment file. */
  readonly path: string;
  readonly message: string;
}

const round = (x: number): number => Number(x.toFixed(10));

/** The values of one search field, in order. */
export function searchValues(axis: TuneSearch[SearchField]): SearchValue[] {
  if (axis === undefined) return [];
  if (Array.isArray(axis)) return [...axis] as SearchValue[];
  const range = axis as { min: number; max: number; step: number };
  const count = Math.floor(round((range.max - range.min) / range.step)) + 1;
  return Array.from({ length: count }, (_, i) => round(range.min + i * range.step));
}

export function formatValue(value: SearchValue): string {
  return Array.isArray(value) ? (value.length === 0 ? 'none' : value.join('+')) : String(value);
}

export function candidateName(base: string, point: Candidate['point']): string {
  const parts = Object.entries(point).map(([field, value]) => `${field}=${formatValue(value as SearchValue)}`);
  return parts.length === 0 ? base : `${base}[${parts.join(',')}]`;
}

/** Every candidate, or the problems that stop the grid (a value the policy field rejects, too many cells). */
export function expandCandidates(
  base: Policy,
  search: TuneSearch,
  maxCandidates: number,
): { candidates: Candidate[]; problems: CandidateProblem[] } {
  const problems: CandidateProblem[] = [];
  let points: Partial<Record<SearchField, SearchValue>>[] = [{}];
  for (const [field, axis] of Object.entries(search) as [SearchField, TuneSearch[SearchField]][]) {
    const values = searchValues(axis);
    values.forEach((value, i) => {
      const parsed = policySchema.shape[field].safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]?.message ?? 'invalid';
        problems.push({ path: `tune.search.${field}${Array.isArray(axis) ? `.${i}` : ''}`, message: `expected a valid ${field} (${issue}), found ${JSON.stringify(value)}` });
      }
    });
    points = points.flatMap((point) => values.map((value) => ({ ...point, [field]: value })));
    if (points.length > maxCandidates) {
      problems.push({ path: 'tune.search', message: `expected at most ${maxCandidates} candidates (tune.maxCandidates), found more than that` });
      return { candidates: [], problems };
    }
  }
  if (problems.length > 0) return { candidates: [], problems };
  const candidates = points.map((point, index) => {
    const name = candidateName(base.name, point);
    return { index, name, point, policy: { ...base, ...point, name } as Policy };
  });
  return { candidates, problems };
}
