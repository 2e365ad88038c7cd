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
