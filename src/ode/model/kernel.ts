/**
 * Many outputs of one hash-consed graph → one generated JavaScript function
 *   kernel(t, y, p, c, v, S, out)
 * that computes every needed node once (children first) and writes `out[k]` for each output
 * (products with the sensitivities S are done by contraction.ts, outside generated code).
 *
 * As in src/formula/codegen.ts, no user text reaches the source: nodes are `n<id>`, inputs are
 * array slots, numbers go through `numberLiteral`, and every identifier is checked against a
 * fixed list before `new Function` runs it.
 */
import { numberLiteral } from "../../formula/codegen.js";
import type { Graph } from "../../formula/graph.js";
import {
  applyBinary,
  applyIfle,
  applyUnary,
  isBinary,
  isUnary,
  MATH,
  MATH_NAMES,
} from "../../formula/ops.js";
import type { Slots } from "./slots.js";

export interface KernelOutput {
  readonly node: number;
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
  for (const id of neededNodes(g, outputs)) {
    if (g.op[id] !== "num") lines.push(`  const n${id} = ${expr(id)};`);
  }
  outputs.forEach((o, k) => {
    lines.push(`  out[${k}] = ${ref(o.node)};`);
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

/** The nodes `outputs` need, in evaluation order (children have smaller ids). */
function neededNodes(g: Graph, outputs: readonly KernelOutput[]): number[] {
  const needed = new Set<number>();
  const stack = outputs.map((o) => o.node);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    stack.push(...g.args[id]!);
  }
  return [...needed].sort((x, y) => x - y);
}

/**
 * The same computation without generating code, for environments that forbid `new Function`:
 * the same nodes in the same order through the operations of ops.ts, so the results are
 * identical bit for bit (slower: one dispatch per node).
 */
export function interpretKernel(g: Graph, slots: Slots, outputs: readonly KernelOutput[]): Kernel {
  const order = neededNodes(g, outputs);
  const at = new Map(order.map((id, k) => [id, k]));
  const value = new Float64Array(order.length);
  const ops = order.map((id) => ({ op: g.op[id]!, args: g.args[id]!.map((a) => at.get(a)!), id }));
  const results = outputs.map((o) => at.get(o.node)!);
  const { n, nParams, nConstants, time } = slots;
  return (t, y, p, c, v, _S, out) => {
    for (let k = 0; k < ops.length; k++) {
      const { op, args, id } = ops[k]!;
      const a = args.map((j) => value[j]!);
      if (op === "num") value[k] = g.value[id]!;
      else if (op === "param") {
        const s = g.value[id]!;
        if (s < n) value[k] = y![s]!;
        else if (s < n + nParams) value[k] = p[s - n]!;
        else if (s < n + nParams + nConstants) value[k] = c[s - n - nParams]!;
        else value[k] = s === time ? t : v![s - time - 1]!;
      } else if (op === "ifle") value[k] = applyIfle(a[0]!, a[1]!, a[2]!, a[3]!);
      else if (isUnary(op)) value[k] = applyUnary(op, a[0]!);
      else if (isBinary(op)) value[k] = applyBinary(op, a[0]!, a[1]!);
      else throw new Error(`ode model: cannot interpret ${op} (a bug in biograd)`);
    }
    results.forEach((r, k) => {
      out[k] = value[r]!;
    });
  };
}

/** The generated kernel, or the interpreter where `new Function` is forbidden. */
export function makeKernel(g: Graph, slots: Slots, outputs: readonly KernelOutput[]): Kernel {
  const source = kernelSource(g, slots, outputs);
  assertKernelSource(source);
  try {
    const factory = new Function(...MATH_NAMES, source) as (...math: unknown[]) => Kernel;
    return factory(...MATH_NAMES.map((m) => MATH[m]));
  } catch (e) {
    // A Content-Security-Policy without 'unsafe-eval' forbids new Function: interpret.
    if (!(e instanceof EvalError)) throw e;
    return interpretKernel(g, slots, outputs);
  }
}
