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

/**
 * A kernel whose nodes that depend only on parameters and constants are computed once, when it
 * is bound to them (`bind(p, c)`, once per parameter vector: a Hill term's K^n, a ratio Vmax/V,
 * exp of a log-rate) instead of in every call; the bound kernel ignores its p and c arguments.
 * p and c must not change after binding.
 */
export type KernelFactory<K = Kernel> = (p: Float64Array, c: Float64Array) => K;

const INFIX = { add: "+", sub: "-", mul: "*", div: "/" } as const;

export function kernelSource(g: Graph, slots: Slots, outputs: readonly KernelOutput[]): string {
  return kernelSourceWith(
    g,
    slots,
    outputs.map((o) => o.node),
    (ref) => outputs.map((o, k) => `  out[${k}] = ${ref(o.node)};`),
  );
}

/**
 * A kernel's source: `const n<id> = …` for every node `roots` need (children first), then the
 * lines `body` writes with `ref(node)` (the node's name, or its number literal).
 */
export function kernelSourceWith(
  g: Graph,
  slots: Slots,
  roots: readonly number[],
  body: (ref: (id: number) => string) => string[],
  hoist = false,
): string {
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
  const nodes = neededNodes(g, roots).filter((id) => g.op[id] !== "num");
  const bound = hoist ? parameterOnly(g, slots, nodes) : new Set<number>();
  const lines = ['"use strict";'];
  // With hoist: return function bind(p, c) { <θ-only nodes>; return function kernel … }
  if (hoist) lines.push("return function bind(p, c) {");
  for (const id of nodes) if (bound.has(id)) lines.push(`  const n${id} = ${expr(id)};`);
  lines.push("return function kernel(t, y, p, c, v, S, out) {");
  for (const id of nodes) if (!bound.has(id)) lines.push(`  const n${id} = ${expr(id)};`);
  lines.push(...body(ref), "};");
  if (hoist) lines.push("};");
  return lines.join("\n");
}

/** The nodes (of `nodes`, children first) that depend on parameters and constants only. */
function parameterOnly(g: Graph, slots: Slots, nodes: readonly number[]): Set<number> {
  const firstY = slots.state(0);
  const lastConstant = slots.time; // slots: [y][p][c][t][v]
  const only = new Set<number>();
  for (const id of nodes) {
    const op = g.op[id]!;
    if (op === "param") {
      const slot = g.value[id]!;
      if (slot >= firstY + slots.n && slot < lastConstant) only.add(id);
    } else if (g.args[id]!.every((a) => g.op[a] === "num" || only.has(a))) only.add(id);
  }
  return only;
}

const KNOWN = new Set([
  ...["use", "strict", "return", "function", "kernel", "bind", "const", "for", "let", "l"],
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

/** The nodes `roots` need, in evaluation order (children have smaller ids). */
function neededNodes(g: Graph, roots: readonly number[]): number[] {
  const needed = new Set<number>();
  const stack = [...roots];
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
  const order = neededNodes(
    g,
    outputs.map((o) => o.node),
  );
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
  return compileKernel(kernelSource(g, slots, outputs), () => interpretKernel(g, slots, outputs));
}

/** makeKernel with the parameter-only nodes hoisted into the binding (KernelFactory). */
export function makeKernelFactory(
  g: Graph,
  slots: Slots,
  outputs: readonly KernelOutput[],
): KernelFactory {
  const source = kernelSourceWith(
    g,
    slots,
    outputs.map((o) => o.node),
    (ref) => outputs.map((o, k) => `  out[${k}] = ${ref(o.node)};`),
    true,
  );
  return compileKernel<KernelFactory>(source, () => bindLater(interpretKernel(g, slots, outputs)));
}

/** An interpreted kernel as a factory: binding only fixes p and c (the interpreter's speed). */
export function bindLater<K extends Kernel>(kernel: K): KernelFactory<K> {
  return (p, c) => ((t, y, _p, _c, v, S, out) => kernel(t, y, p, c, v, S, out)) as K;
}

/** Checks and compiles a kernel's source; `fallback()` where `new Function` is forbidden. */
export function compileKernel<K = Kernel>(source: string, fallback: () => K): K {
  assertKernelSource(source);
  try {
    const factory = new Function(...MATH_NAMES, source) as (...math: unknown[]) => K;
    return factory(...MATH_NAMES.map((m) => MATH[m]));
  } catch (e) {
    // A Content-Security-Policy without 'unsafe-eval' forbids new Function: interpret.
    if (!(e instanceof EvalError)) throw e;
    return fallback();
  }
}
