import { InputError } from "../core/errors.js";

/**
 * Number parsers for CLI options (each bad value is an InputError naming the option). The
 * transform specs (`--clip`, `--optimizer`, `--schedule`) have their one grammar in
 * src/transforms/spec-text.ts; their accepted forms are re-exported here for help texts.
 */
export { CLIP_FORMS, OPTIMIZER_FORMS, SCHEDULE_FORMS } from "../transforms/spec-text.js";

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
