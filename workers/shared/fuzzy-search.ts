/** Fuzzy file search for the handler autocomplete (spec §5.6). Pure. */
import { isGitInternalPath } from "./file-paths";

export interface FuzzyMatch {
  path: string;
  score: number;
}

const SEARCHABLE = /\.(ts|js|tsx|jsx)$/i;

/** Only handler-like files outside `.git` are searched. */
export function isSearchable(path: string): boolean {
  return SEARCHABLE.test(path) && !isGitInternalPath(path);
}

/**
 * Case-insensitive subsequence match, leftmost: +2 for a character right after the previous
 * match, +1 otherwise, +3 more at the start of a path segment; the sum is divided by
 * (query length + 0.1 × path length) so short, tight paths win. Null when it does not match.
 */
export function fuzzyScore(query: string, path: string): number | null {
  const q = query.toLowerCase();
  const p = path.toLowerCase();
  let sum = 0;
  let last = -2;
  let at = 0;
  for (const char of q) {
    const found = p.indexOf(char, at);
    if (found === -1) return null;
    sum += found === last + 1 ? 2 : 1;
    if (found === 0 || p[found - 1] === "/") sum += 3;
    last = found;
    at = found + char.length;
  }
  return sum / (q.length + 0.1 * p.length);
}

/** The best `limit` matches among `paths`, highest score first (ties by path). */
export function fuzzySearch(query: string, paths: Iterable<string>, limit: number): FuzzyMatch[] {
  const matches: FuzzyMatch[] = [];
  for (const path of paths) {
    if (!isSearchable(path)) continue;
    const score = fuzzyScore(query, path);
    if (score !== null) matches.push({ path, score });
  }
  matches.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return matches.slice(0, limit);
}
