/**
 * Names: which are valid, which are reserved, and "did you mean …?" suggestions by edit
 * distance (optimal string alignment: insertions, deletions, substitutions, transpositions).
 */

/** A name mathjs reads as one identifier: a letter, `_` or `$`, then letters, digits, `_`, `$`. */
export const NAME = /^[\p{L}_$][\p{L}0-9_$]*$/u;

/** Names JavaScript objects carry: never a formula's names, whatever the spec says. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  "constructor",
  "__proto__",
  "prototype",
]);

/** Words mathjs's parser reads as literals or operators, so they cannot name anything. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "true",
  "false",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "mod",
  "and",
  "or",
  "xor",
  "not",
  "to",
  "in",
  "end",
]);

/** Edit distance between a and b (each adjacent transposition counts 1). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rows of the dynamic programme: i−2, i−1, i.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let row = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      row[j] = d;
    }
    [prev2, prev, row] = [prev, row, prev2];
  }
  return prev[n]!;
}

/**
 * The candidate `name` was most likely meant as, or undefined when none is close: distance
 * ignoring case at most half the longer name (and less than all of it); ties go to a
 * candidate with the same first letter (`km` → `K` rather than `Vm`), then to the exact-case
 * distance, then to the earlier candidate.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore: readonly number[] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(lower, c.toLowerCase());
    const longest = Math.max(name.length, c.length);
    if (d >= longest || d > Math.max(1, Math.floor(longest / 2))) continue;
    const firstDiffers = lower[0] === c[0]?.toLowerCase() ? 0 : 1;
    const score = [d, firstDiffers, editDistance(name, c)];
    if (best === undefined || lexLess(score, bestScore)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
