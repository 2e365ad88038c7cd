/**
 * The plan → one plain JavaScript function, through `new Function`. No user text reaches
 * the generated source: nodes are named by their ids (`t12`), variables are read from
 * column slots (`c0[i]`), parameters from `theta[j]`, numbers are written by
 * `numberLiteral`, and the Math functions are passed in as arguments. Before compiling,
 * `assertGeneratedSource` checks every identifier of the source against a fixed list.
 *
 * The function computes invariant nodes once, then loops over the rows computing each node
 * once per row (the DAG is hash-consed) and writing f[i] and the row of the Jacobian; a
 * second loop without the partials serves calls with jac = null.
 */

import type { CurveFunction } from "../core/curve.js";
import { isBinary, isUnary, MATH, MATH_NAMES } from "./ops.js";
import type { Plan } from "./plan.js";
import type { ShapeCheck } from "./shapes.js";

type Evaluate = CurveFunction["evaluate"];

const INFIX = { add: "+", sub: "-", mul: "*", div: "/" } as const;

/** A JavaScript literal that evaluates to exactly `v` (String(v) round-trips doubles). */
export function numberLiteral(v: number): string {
  if (typeof v !== "number") throw new Error("formula: numberLiteral of a non-number");
  if (Number.isNaN(v)) return "(0 / 0)";
  if (v === Number.POSITIVE_INFINITY) return "(1 / 0)";
  if (v === Number.NEGATIVE_INFINITY) return "(-1 / 0)";
  if (Object.is(v, -0)) return "(-0)";
  const s = String(v);
  if (!/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(s))
    throw new Error(`formula: unexpected number text ${s}`);
  return v < 0 ? `(${s})` : s;
}

/** The generated source: the body of `new Function("checkShapes", ...MATH_NAMES, body)`. */
export function generateSource(plan: Plan): string {
  const g = plan.graph;
  const p = plan.roots.length - 1;
  const ref = (id: number): string => (g.op[id] === "num" ? numberLiteral(g.value[id]!) : `t${id}`);
  const expr = (id: number): string => {
    const op = g.op[id]!;
    const a = g.args[id]!.map(ref);
    if (op === "param") return `theta[${g.value[id]}]`;
    if (op === "var") return `c${g.value[id]}[i]`;
    if (op === "neg") return `-${a[0]}`;
    if (op === "ifle") return `${a[0]} <= ${a[1]} ? ${a[2]} : ${a[3]}`;
    if (op === "add" || op === "sub" || op === "mul" || op === "div") {
      return `${a[0]} ${INFIX[op]} ${a[1]}`;
    }
    if (isUnary(op) || isBinary(op)) return `${op}(${a.join(", ")})`;
    throw new Error(`formula: cannot generate ${op} (a bug in biograd)`);
  };
  const define = (id: number, indent: string): string => `${indent}const t${id} = ${expr(id)};`;
  const columns = new Set<number>();
  for (const id of plan.rows) if (g.op[id] === "var") columns.add(g.value[id]!);

  const value = ref(plan.roots[0]!);
  const lines = [
    '"use strict";',
    "return function evaluate(theta, columns, n, f, jac) {",
    "  checkShapes(theta, columns, n, f, jac);",
    ...plan.invariant.map((id) => define(id, "  ")),
    ...[...columns].sort((x, y) => x - y).map((k) => `  const c${k} = columns[${k}];`),
    "  if (jac === null) {",
    "    for (let i = 0; i < n; i++) {",
    ...plan.valueRows.map((id) => define(id, "      ")),
    `      f[i] = ${value};`,
    "    }",
    "    return;",
    "  }",
    `  for (let i = 0, r = 0; i < n; i++, r += ${p}) {`,
    ...plan.rows.map((id) => define(id, "    ")),
    `    f[i] = ${value};`,
    ...plan.roots.slice(1).map((d, j) => `    jac[${j === 0 ? "r" : `r + ${j}`}] = ${ref(d)};`),
    "  }",
    "};",
  ];
  return lines.join("\n");
}

const KNOWN = new Set([
  "use",
  "strict",
  "return",
  "function",
  "evaluate",
  "theta",
  "columns",
  "n",
  "f",
  "jac",
  "checkShapes",
  "const",
  "let",
  "for",
  "if",
  "null",
  "i",
  "r",
  ...MATH_NAMES,
]);

/**
 * Defence in depth: every identifier of `source` is one of the generator's own (a fixed
 * list, `t<id>`, `c<k>`), and the only string is the "use strict" directive.
 */
export function assertGeneratedSource(source: string): void {
  const body = source.replace(/^"use strict";/, "");
  if (/["'`\\]/.test(body)) throw new Error("formula: generated source has a string (a bug)");
  for (const m of body.matchAll(/\d[\d.]*(?:e[+-]?\d+)?|[A-Za-z_$][\w$]*/g)) {
    const word = m[0];
    if (/^\d/.test(word) || KNOWN.has(word) || /^[tc]\d+$/.test(word)) continue;
    throw new Error(`formula: generated source has an unknown identifier ${word} (a bug)`);
  }
}

/** The generated evaluate function (throws EvalError where `new Function` is forbidden). */
export function generate(plan: Plan, checkShapes: ShapeCheck): Evaluate {
  const source = generateSource(plan);
  assertGeneratedSource(source);
  const factory = new Function("checkShapes", ...MATH_NAMES, source) as (
    ...args: unknown[]
  ) => Evaluate;
  return factory(checkShapes, ...MATH_NAMES.map((m) => MATH[m]));
}
