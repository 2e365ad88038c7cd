/**
 * What check.ts says about each thing formulas do not allow: [problem, hint or null].
 */
import { FUNCTIONS } from "./functions.js";
import { FORBIDDEN_NAMES, suggest } from "./names.js";
import type { Scope } from "./spec.js";
import type { Construct } from "./syntax.js";

export type Message = [problem: string, hint: string | null];

export const CONSTRUCTS: Record<Construct, (token: string) => Message> = {
  member: (t) => [`member access "${t}" is not allowed`, "formulas use plain names"],
  index: () => [`indexing "[…]" is not allowed`, null],
  assignment: () => [`assignment "=" is not allowed`, "write only the right-hand side"],
  "function-definition": () => ["function definitions are not allowed", null],
  string: () => ["strings are not allowed", null],
  literal: (t) => [`"${t}" is not a number`, null],
  array: () => ["matrices and arrays are not allowed", null],
  object: () => ["objects are not allowed", null],
  range: () => [`ranges ":" are not allowed`, null],
  conditional: () => [
    `conditionals "? :" are not allowed`,
    "use min, max or abs for piecewise formulas",
  ],
  comparison: (t) => [`comparison "${t}" is not allowed`, null],
  percent: () => [`percent "%" is not allowed`, "write /100"],
  "several-expressions": (t) => [
    "only one expression is allowed",
    t === ";"
      ? 'remove ";"'
      : "a formula goes on over lines only after an operator or inside parentheses",
  ],
};

export function operatorProblem(op: string): Message {
  if (["<", ">", "<=", ">=", "==", "!="].includes(op))
    return [`comparison "${op}" is not allowed`, null];
  if (["and", "or", "xor", "not"].includes(op))
    return [`logical operator "${op}" is not allowed`, null];
  if (["&", "|", "^|", "~", "<<", ">>", ">>>"].includes(op)) {
    return [`bitwise operator "${op}" is not allowed`, null];
  }
  if (op === "mod" || op === "%") return [`modulo "${op}" is not allowed`, null];
  if (op === "!") return [`factorial "!" is not allowed`, null];
  if (op === "'") return [`transpose "'" is not allowed`, null];
  if (op.startsWith("."))
    return [`element-wise operator "${op}" is not allowed`, `write ${op.slice(1)}`];
  if (op === "to" || op === "in") return [`unit conversion "${op}" is not allowed`, null];
  return [`operator "${op}" is not allowed`, "allowed: + - * / ^"];
}

export function unknownName(name: string, scope: Scope): Message {
  const lists = [
    ["parameters", scope.params],
    ["variables", scope.variables],
    ["constants", scope.constants],
  ] as const;
  const parts = lists.filter(([, l]) => l.length > 0).map(([w, l]) => `${w}: ${l.join(", ")}`);
  const declared = [...scope.params, ...scope.variables, ...scope.constants, "pi", "e"];
  const near = suggest(name, declared);
  if (near !== undefined) parts.push(`did you mean "${near}"?`);
  return [`unknown name "${name}"`, parts.length > 0 ? parts.join("; ") : "nothing is declared"];
}

export function unknownFunction(name: string, scope: Scope): Message {
  const binding = scope.bindings.get(name);
  if (binding !== undefined) {
    const role =
      binding.kind === "param"
        ? "a parameter"
        : binding.kind === "variable"
          ? "a variable"
          : "a constant";
    return [`"${name}" is ${role}, not a function`, `write ${name}*(…) to multiply`];
  }
  if (FORBIDDEN_NAMES.has(name)) return [`"${name}" is not allowed as a name`, null];
  const near = suggest(name, FUNCTIONS.keys());
  return [
    `unknown function "${name}"`,
    near !== undefined
      ? `did you mean "${near}"?`
      : `functions: ${[...FUNCTIONS.keys()].join(", ")}`,
  ];
}
