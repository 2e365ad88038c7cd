/**
 * Many outputs of one hash-consed graph → one generated JavaScript function
 *   kernel(t, y, p, c, v, S, out)
 * that computes every needed node once (children first) and writes `out[k]` for each output.
 * An output is a node, plus optionally a contraction Σ_k coef_k·S[s_k] (the J·S and
 * ∂h/∂y·S products of the sensitivity equations), written out term by term so that zero
 * entries of a sparse Jacobian cost nothing.
 *
 * As in src/formula/codegen.ts, no user text reaches the source: nodes are `n<id>`, inputs are
 * array slots, numbers go through `numberLiteral`, and every identifier is checked against a
 * fixed list before `new Function` runs it.
 */
import { numberLiteral } from "../../formula/codegen.js";
import type { Graph } from "../../formula/graph.js";
import { isBinary, isUnary, MATH, MATH_NAMES } from "../../formula/ops.js";
import type { Slots } from "./slots.js";

export interface KernelOutput {
  readonly node: number;
  /** Σ coef·S[index] added to the node's value. */
  readonly terms?: readonly (readonly [coef: number, index: number])[];
}

export type Kernel = (
  t: number,
  y: Float64Array | null,
  p: Float64Array,
  c: Float64Array,
  v: Float64Array | null,
  S: Float64Array | null,
  out: Float64Array,
) => void;

const INFIX = { add: "+", sub: "-", mul: "*", div: "/" } as const;

export function kernelSource(g: Graph, slots: Slots, outputs: readonly KernelOutput[]): string {
  const needed = new Set<number>();
  const stack: number[] = [];
  for (const o of outputs) {
    stack.push(o.node);
    for (const [coef] of o.terms ?? []) stack.push(coef);
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    stack.push(...g.args[id]!);
  }
  const ref = (id: number): string => (g.op[id] === "num" ? numberLiteral(g.value[id]!) : `n${id}`);
  const expr = (id: number): string => {
    const op = g.op[id]!;
    const a = g.args[id]!.map(ref);
    if (op === "param") return slots.source(g.value[id]!);
    if (op === "neg") return `-${a[0]}`;
    if (op === "ifle") return `${a[0]} <= ${a[1]} ? ${a[2]} : ${a[3]}`;
    if (op === "add" || op === "sub" || op === "mul" || op === "div") {
      return `${a[0]} ${INFIX[op]} ${a[1]}`;
    }
    if (isUnary(op) || isBinary(op)) return `${op}(${a.join(", ")})`;
    throw new Error(`ode model: cannot generate ${op} (a bug in biograd)`);
  };
  const lines = ['"use strict";', "return function kernel(t, y, p, c, v, S, out) {"];
  for (const id of [...needed].sort((x, y) => x - y)) {
    if (g.op[id] !== "num") lines.push(`  const n${id} = ${expr(id)};`);
  }
  outputs.forEach((o, k) => {
    const parts: string[] = [];
    if (!g.isZero(o.node)) parts.push(ref(o.node));
    for (const [coef, index] of o.terms ?? []) {
      if (g.isZero(coef)) continue;
      parts.push(g.isNum(coef, 1) ? `S[${index}]` : `${ref(coef)} * S[${index}]`);
    }
    lines.push(`  out[${k}] = ${parts.length === 0 ? "0" : parts.join(" + ")};`);
  });
  lines.push("};");
  return lines.join("\n");
}

const KNOWN = new Set([
  ...["use", "strict", "return", "function", "kernel", "const"],
  ...["t", "y", "p", "c", "v", "S", "out"],
  ...MATH_NAMES,
]);

/** Defence in depth: only the generator's own identifiers, and no strings but the directive. */
export function assertKernelSource(source: string): void {
  const body = source.replace(/^"use strict";/, "");
  if (/["'`\\]/.test(body)) throw new Error("ode model: generated source has a string (a bug)");
  for (const m of body.matchAll(/\d[\d.]*(?:e[+-]?\d+)?|[A-Za-z_$][\w$]*/g)) {
    const word = m[0];
    if (/^\d/.test(word) || KNOWN.has(word) || /^n\d+$/.test(word)) continue;
    throw new Error(`ode model: generated source has an unknown identifier ${word} (a bug)`);
  }
}

export function makeKernel(g: Graph, slots: Slots, outputs: readonly KernelOutput[]): Kernel {
  const source = kernelSource(g, slots, outputs);
  assertKernelSource(source);
  const factory = new Function(...MATH_NAMES, source) as (...math: unknown[]) => Kernel;
  return factory(...MATH_NAMES.map((m) => MATH[m]));
}
