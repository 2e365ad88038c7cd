import { BiogradError, OptionError } from "./errors.js";

/**
 * Option checking in the esbuild style: each checker returns `null` when the value
 * is acceptable, or a noun phrase describing what was expected.
 */
export type Checker = (value: unknown) => string | null;

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export const positive: Checker = (v) => (isNum(v) && v > 0 ? null : "a finite number > 0");
export const nonNegative: Checker = (v) => (isNum(v) && v >= 0 ? null : "a finite number >= 0");
export const finite: Checker = (v) => (isNum(v) ? null : "a finite number");
export const unitInterval: Checker = (v) =>
  isNum(v) && v >= 0 && v < 1 ? null : "a number in [0, 1)";
export const positiveInteger: Checker = (v) =>
  isNum(v) && Number.isInteger(v) && v >= 1 ? null : "an integer >= 1";
export const nonNegativeInteger: Checker = (v) =>
  isNum(v) && Number.isInteger(v) && v >= 0 ? null : "an integer >= 0";
export const boolean: Checker = (v) => (typeof v === "boolean" ? null : "a boolean");
export const oneOf =
  (...allowed: readonly string[]): Checker =>
  (v) =>
    typeof v === "string" && allowed.includes(v)
      ? null
      : `one of ${allowed.map((a) => `"${a}"`).join(", ")}`;

/**
 * Validates `options` against `checkers` for `owner` (e.g. "adam"): rejects unknown keys by
 * name, missing `required` keys and out-of-domain values with what was expected.
 * `undefined` values of optional keys are skipped so callers can pass fields straight through.
 */
export function checkOptions(
  owner: string,
  options: object | undefined,
  checkers: Record<string, Checker>,
  required: readonly string[] = [],
): void {
  if (options === undefined || options === null || typeof options !== "object") {
    if (options === undefined && required.length === 0) return;
    throw new OptionError(owner, "options", options, "an object");
  }
  // Unknown keys first: a misspelt required key should be reported as the misspelling.
  for (const key of Object.keys(options)) {
    if (!(key in checkers)) {
      const known = Object.keys(checkers).join(", ");
      throw new BiogradError(
        "unknown_option",
        `${owner}: unknown option "${key}" (known options: ${known})`,
      );
    }
  }
  for (const key of required) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) throw new OptionError(owner, key, value, checkers[key]!(value)!);
  }
  for (const [key, value] of Object.entries(options)) {
    const check = checkers[key]!;
    if (value === undefined) continue;
    const expected = check(value);
    if (expected !== null) throw new OptionError(owner, key, value, expected);
  }
}
