import { BiogradError, InputError } from "../core/errors.js";

/** Input checks shared by the metrics: equal, non-zero lengths and finite values. */

/** Throws unless `b` has `a`'s length times `per` and `a` is not empty. */
export function checkLengths(
  owner: string,
  a: ArrayLike<number>,
  aName: string,
  b: ArrayLike<number>,
  bName: string,
  per = 1,
): void {
  if (a.length === 0) throw new InputError(`${owner}: ${aName} is empty`);
  if (b.length !== a.length * per) {
    const expected = per === 1 ? `${a.length}` : `${a.length} × ${per} = ${a.length * per}`;
    throw new BiogradError(
      "shape_mismatch",
      `${owner}: ${bName} has ${b.length} ${b.length === 1 ? "value" : "values"}, expected ${expected} (one ${per === 1 ? "value" : "row"} per entry of ${aName})`,
    );
  }
}

/** Throws at the first non-finite value, naming the array and index. */
export function checkFinite(owner: string, values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`${owner}: ${name}[${i}] is ${v}; metrics need finite values`);
    }
  }
}

/** Throws unless every value is a class index 0..classes−1. */
export function checkClasses(
  owner: string,
  values: ArrayLike<number>,
  name: string,
  classes: number,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      const allowed = classes === 2 ? "0 or 1" : `a class index 0..${classes - 1}`;
      throw new InputError(`${owner}: ${name}[${i}] is ${v}, expected ${allowed}`);
    }
  }
}

/** Throws unless every value is a probability in [0, 1]. */
export function checkProbabilities(owner: string, values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new InputError(`${owner}: ${name}[${i}] is ${v}, expected a probability in [0, 1]`);
    }
  }
}

/** The `classes` option of the multiclass metrics: an integer ≥ 2. */
export function checkClassCount(owner: string, classes: unknown): number {
  if (typeof classes !== "number" || !Number.isInteger(classes) || classes < 2) {
    throw new BiogradError(
      "invalid_option",
      `${owner}: classes must be an integer >= 2, got ${String(classes)}`,
    );
  }
  return classes;
}
