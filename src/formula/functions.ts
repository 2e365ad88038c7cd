/**
 * The functions a formula may call, with their arities. `log(x)` is the natural logarithm,
 * `log(x, b)` the logarithm to base b; `min`/`max` take two or more arguments.
 */

export type UnaryFunction =
  | "exp"
  | "log"
  | "log10"
  | "log2"
  | "sqrt"
  | "abs"
  | "sin"
  | "cos"
  | "tan"
  | "atan"
  | "tanh"
  | "sinh"
  | "cosh";

export type FunctionName = UnaryFunction | "pow" | "min" | "max";

interface Arity {
  min: number;
  max: number;
}

const ONE: Arity = { min: 1, max: 1 };

export const FUNCTIONS: ReadonlyMap<FunctionName, Arity> = new Map<FunctionName, Arity>([
  ["exp", ONE],
  ["log", { min: 1, max: 2 }],
  ["log10", ONE],
  ["log2", ONE],
  ["sqrt", ONE],
  ["abs", ONE],
  ["pow", { min: 2, max: 2 }],
  ["min", { min: 2, max: Number.POSITIVE_INFINITY }],
  ["max", { min: 2, max: Number.POSITIVE_INFINITY }],
  ["sin", ONE],
  ["cos", ONE],
  ["tan", ONE],
  ["atan", ONE],
  ["tanh", ONE],
  ["sinh", ONE],
  ["cosh", ONE],
]);

/** Named numbers every formula knows. */
export const BUILTIN_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
]);

export function isFunctionName(name: string): name is FunctionName {
  return FUNCTIONS.has(name as FunctionName);
}

/** "exp takes 1 argument", "log takes 1 or 2 arguments", "min takes 2 or more arguments". */
export function describeArity(name: FunctionName): string {
  const { min, max } = FUNCTIONS.get(name)!;
  const count =
    min === max
      ? `${min}`
      : max === Number.POSITIVE_INFINITY
        ? `${min} or more`
        : `${min} or ${max}`;
  return `${name} takes ${count} argument${max === 1 ? "" : "s"}`;
}
