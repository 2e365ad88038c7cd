import { expect } from "vitest";
import { InputError } from "../../src/core/errors.js";

/** The error `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

/** The message of the one-line InputError that `fn` throws. */
export function inputError(fn: () => unknown): string {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InputError);
  expect(error.message).not.toContain("\n");
  return error.message;
}
