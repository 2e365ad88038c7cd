import { InputError } from "../core/errors.js";

/**
 * Number parsers for CLI options (each bad value is an InputError naming the option). The
 * transform specs (`--clip`, `--optimizer`, `--schedule`) have their one grammar in
 * src/transforms/spec-text.ts, imported only where used: it builds zod schemas as it loads,
 * and a fit loads no zod (bench/startup/RESULTS.md).
 */

export function parseNumber(option: string, text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    throw new InputError(`${option}: expected a number, got "${text}"`);
  }
  return Number(text);
}

export function parseInteger(option: string, text: string, min = Number.NEGATIVE_INFINITY): number {
  const n = parseNumber(option, text);
  if (!Number.isInteger(n) || n < min) {
    const expected = min === Number.NEGATIVE_INFINITY ? "an integer" : `an integer >= ${min}`;
    throw new InputError(`${option}: expected ${expected}, got "${text}"`);
  }
  return n;
}

/** commander's parser of a number option (`--lr 0.1`). */
export const optionNumber = (flag: string) => (v: string) => parseNumber(flag, v);

/** commander's parser of a number option that must be >= 0. */
export const optionNonNegative = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < 0) throw new InputError(`${flag}: expected a number >= 0, got "${v}"`);
  return x;
};

/** commander's parser of a level or probability in (0, 1) (`--level 0.9`). */
export const optionLevel = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (!(x > 0 && x < 1)) throw new InputError(`${flag}: expected a number in (0, 1), got "${v}"`);
  return x;
};

/** commander's parser of an integer option >= min (`--epochs 10`). */
export const optionInteger =
  (flag: string, min = 0) =>
  (v: string) =>
    parseInteger(flag, v, min);

/** Only the options that were given (a request has no keys holding undefined). */
export function given<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `--split 0.7,0.15,0.15` → the train/validation/test fractions. */
export function parseFractions(text: string | undefined) {
  if (text === undefined) return undefined;
  const parts = text.split(",").map((s) => parseNumber("--split", s));
  if (parts.length !== 3 || Math.abs(parts.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new InputError(
      `--split: expected three fractions train,validation,test summing to 1, got "${text}"`,
    );
  }
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]! };
}
