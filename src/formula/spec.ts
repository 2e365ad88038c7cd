/**
 * The formula's spec — parameter, variable and constant names — checked and turned into a
 * scope: one binding per name. A name declared twice, a reserved name or an invalid one is a
 * FormulaError, placed at the name's first use in the formula when it has one.
 */
import { OptionError } from "../core/errors.js";
import { boolean, type Checker, checkOptions } from "../core/options.js";
import { errorAt, FormulaError } from "./errors.js";
import { BUILTIN_CONSTANTS, isFunctionName } from "./functions.js";
import { FORBIDDEN_NAMES, KEYWORDS, NAME } from "./names.js";
import type { SyntaxNode } from "./syntax.js";

export interface FormulaSpec {
  /** Parameter names, in the order of θ. */
  params: readonly string[];
  /** Variable (data column) names, in the order of the columns. */
  variables: readonly string[];
  /** Named constants, substituted as numbers (default none). */
  constants?: Readonly<Record<string, number>>;
  /** Generate a JavaScript function (default true); false: the interpreter runs the formula. */
  codegen?: boolean;
}

export type Binding =
  | { kind: "param"; index: number }
  | { kind: "variable"; index: number }
  | { kind: "constant"; value: number };

export interface Scope {
  readonly params: readonly string[];
  readonly variables: readonly string[];
  readonly constants: readonly string[];
  /** Every name a formula may use, built-in `pi` and `e` included. */
  readonly bindings: ReadonlyMap<string, Binding>;
}

const names: Checker = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === "string") ? null : "an array of names";
const record: Checker = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? null : "an object of numbers";

/** Checks the spec's shape: known keys, arrays of strings, an object of constants. */
export function checkSpecShape(spec: unknown): asserts spec is FormulaSpec {
  checkOptions(
    "compileFormula",
    spec as object | undefined,
    { params: names, variables: names, constants: record, codegen: boolean },
    ["params", "variables"],
  );
}

const ROLE = { param: "parameter", variable: "variable", constant: "constant" } as const;

/** Why `name` cannot be declared, or null when it can. */
export function reservedReason(name: string): { problem: string; hint: string | null } | null {
  if (FORBIDDEN_NAMES.has(name))
    return { problem: `"${name}" is not allowed as a name`, hint: null };
  if (KEYWORDS.has(name)) return { problem: `"${name}" is a reserved word`, hint: null };
  if (isFunctionName(name)) return { problem: `"${name}" is the name of a function`, hint: null };
  if (name === "e") return { problem: `"e" is reserved for Euler's number`, hint: null };
  if (name === "pi") return { problem: `"pi" is reserved for π`, hint: null };
  return null;
}

export function makeScope(spec: FormulaSpec, tree: SyntaxNode, text: string): Scope {
  const bindings = new Map<string, Binding>();
  const roles = new Map<string, keyof typeof ROLE>();
  const fail = (name: string, problem: string, hint: string | null): never => {
    const at = firstUse(tree, name);
    throw at === undefined
      ? new FormulaError(null, null, problem, hint)
      : errorAt(text, at, problem, hint);
  };
  const declare = (name: string, kind: keyof typeof ROLE, binding: Binding): void => {
    const role = ROLE[kind];
    // Other names (`conc (uM)`) are written in backticks in the formula; a backtick or a
    // line break could not be quoted.
    if (!NAME.test(name) && (name.trim() === "" || /[`\n\r]/.test(name))) {
      fail(
        name,
        `${role} name "${name}" is not a valid name`,
        "letters, digits, _ and $, not starting with a digit; others in backticks, without ` or line breaks",
      );
    }
    const reserved = reservedReason(name);
    if (reserved !== null) fail(name, reserved.problem, `rename the ${role}`);
    const earlier = roles.get(name);
    if (earlier === kind) fail(name, `${role} "${name}" is declared twice`, null);
    if (earlier !== undefined) {
      fail(
        name,
        `"${name}" is declared both as a ${ROLE[earlier]} and as a ${role}`,
        "rename one of them",
      );
    }
    roles.set(name, kind);
    bindings.set(name, binding);
  };
  spec.params.forEach((name, index) => {
    declare(name, "param", { kind: "param", index });
  });
  spec.variables.forEach((name, index) => {
    declare(name, "variable", { kind: "variable", index });
  });
  const constants = spec.constants ?? {};
  for (const name of Object.keys(constants)) {
    const value = constants[name];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new OptionError("compileFormula", `constants.${name}`, value, "a finite number");
    }
    declare(name, "constant", { kind: "constant", value });
  }
  for (const [name, value] of BUILTIN_CONSTANTS) bindings.set(name, { kind: "constant", value });
  return {
    params: [...spec.params],
    variables: [...spec.variables],
    constants: Object.keys(constants),
    bindings,
  };
}

/** Offset of the first use of `name` (as a name or a called function), if any. */
export function firstUse(node: SyntaxNode, name: string): number | undefined {
  switch (node.kind) {
    case "number":
      return undefined;
    case "name":
      return node.name === name ? node.start : undefined;
    case "call":
      return [node.callee, ...node.args].reduce<number | undefined>(
        (found, n) => found ?? firstUse(n, name),
        undefined,
      );
    case "unary":
      return firstUse(node.arg, name);
    case "binary":
      return firstUse(node.left, name) ?? firstUse(node.right, name);
    case "paren":
      return firstUse(node.body, name);
    case "other":
      return node.before.reduce<number | undefined>((f, n) => f ?? firstUse(n, name), undefined);
  }
}
