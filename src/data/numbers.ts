/**
 * Numbers in data files: what the tabular reader accepts as a number, and what it suggests
 * for a value that is not one.
 */

/** Decimal or scientific notation, nothing else: `-1.5e-3`, `.5`, `3.`, `+2`. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Strict number parsing: the whole string (after trimming whitespace) must be a decimal or
 * scientific number with a finite double value; otherwise `undefined`. Unlike `Number()`,
 * rejects `""`, `"0x10"`, `"Infinity"`, `"1e"` and `"1e400"`.
 */
export function parseNumber(text: string): number | undefined {
  const s = text.trim();
  if (!NUMBER.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** What to suggest for a value that is not a number, as " (…)", or "". */
export function numberHint(raw: string): string {
  const v = raw.trim();
  if (/^[+-]?(?:inf|infinity)$/i.test(v)) return " (infinite values are not allowed)";
  if (NUMBER.test(v)) return " (out of range for a double)";
  if (/^[+-]?\d+,\d+$/.test(v)) return " (use a dot as the decimal separator)";
  // Looks like a missing-value marker ("NA", "n/a", "-", "?", ""): suggest declaring it.
  if (!/\d/.test(v) && !/\s/.test(v) && v.length <= 20) {
    const token = /^[\w./-]+$/.test(v) ? v : JSON.stringify(v);
    return ` (use --na ${token} to treat it as missing)`;
  }
  return "";
}
