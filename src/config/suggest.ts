/**
 * "Did you mean …?" for typos in keys, enum values and references: the closest candidate by edit distance.
 */

/**
 * Edit distance between two strings (optimal string alignment): insertions, deletions, substitutions and swaps of
 * two neighbouring characters each cost 1, so "clam" is one typo away from "calm".
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Whether `candidate` begins with `word` (or with `word` less its last letter, for a word of 5 letters or more):
 * "severity" for "severityThreshold", "abuse" for "abusive". Such a word is a shortened or differently inflected
 * name rather than a typo, and often too many edits away for the edit-distance rule.
 */
function isStemOf(word: string, candidate: string): boolean {
  const lower = candidate.toLowerCase();
  const stem = word.toLowerCase();
  if (stem.length >= 4 && lower.startsWith(stem)) return true;
  return stem.length >= 5 && lower.startsWith(stem.slice(0, -1));
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible typo: at most a third of the word's
 * length in edits (at least 1, at most 3). Case and `-`/`_` differences alone always count as close; so does a
 * candidate the word is the beginning of (see isStemOf), though any typo within the limit is preferred to it.
 *
 * @example closestMatch('minRedirect', ['minRedirects', 'endMode']) // 'minRedirects'
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const edits = squash(candidate) === squash(word) ? 0.5 : editDistance(word, candidate);
    const distance = edits > limit && isStemOf(word, candidate) ? limit + 0.5 : edits;
    if (distance <= limit + 0.5 && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` or "" — ready to append to a problem message. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
