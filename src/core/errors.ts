/**
 * Errors carry data (a stable `code`, what was received, what was expected) and a
 * message that says how to fix it. The CLI maps `BiogradError`s to exit code 2
 * (usage or input error); anything else is a failure (exit 1).
 */
export type ErrorCode =
  | "invalid_option"
  | "unknown_option"
  | "non_finite_gradient"
  | "bad_input"
  | "shape_mismatch"
  | "write_failed";

export class BiogradError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "BiogradError";
    this.code = code;
  }
}

/** An option outside its domain: names the owner, the option, the value and the expectation. */
export class OptionError extends BiogradError {
  readonly owner: string;
  readonly option: string;
  readonly received: unknown;
  readonly expected: string;
  constructor(owner: string, option: string, received: unknown, expected: string) {
    super("invalid_option", `${owner}: ${option} must be ${expected}, got ${show(received)}`);
    this.name = "OptionError";
    this.owner = owner;
    this.option = option;
    this.received = received;
    this.expected = expected;
  }
}

/** An input file or value that cannot be used; the message starts with where (file:line:column). */
export class InputError extends BiogradError {
  constructor(message: string) {
    super("bad_input", message);
    this.name = "InputError";
  }
}

export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
