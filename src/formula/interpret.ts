/**
 * The plan evaluated without generating code, for environments that forbid `new Function`.
 * It performs exactly the operations of the generated function — the same nodes, the same
 * operations from ops.ts, on the same inputs — so its results are identical bit for bit.
 * For speed it runs one operation at a time over blocks of BLOCK rows (scratch columns are
 * allocated once, here), not one row at a time through every operation.
 */
import type { CurveFunction } from "../core/curve.js";
import type { Graph } from "./graph.js";
import {
  applyBinary,
  applyIfle,
  applyUnary,
  isBinary,
  isUnary,
  MATH,
  type MathName,
} from "./ops.js";
import type { Plan } from "./plan.js";
import type { ShapeCheck } from "./shapes.js";

type Evaluate = CurveFunction["evaluate"];
type Fn = (a: number, b: number) => number;

export const BLOCK = 256;

const CODE = { neg: 0, add: 1, sub: 2, mul: 3, div: 4, ifle: 5, call: 6 } as const;

/** One operation per entry: code, result offset, operand offsets (into the scratch). */
interface Program {
  code: Int32Array;
  out: Int32Array;
  args: Int32Array; // 4 per operation
  fns: Fn[];
}

export function interpret(plan: Plan, checkShapes: ShapeCheck): Evaluate {
  const g = plan.graph;
  const p = plan.roots.length - 1;
  // A scratch column per row-varying node and per invariant or number one reads (broadcast).
  const slot = new Map<number, number>();
  const broadcast: number[] = [];
  for (const id of plan.rows) {
    for (const a of g.args[id]!) {
      if (!g.varying[a] && !slot.has(a)) {
        slot.set(a, slot.size * BLOCK);
        broadcast.push(a);
      }
    }
    slot.set(id, slot.size * BLOCK);
  }
  const scratch = new Float64Array(Math.max(1, slot.size) * BLOCK);
  const scalar = Float64Array.from(g.value, (v, id) => (g.op[id] === "num" ? v : 0));
  const vars = plan.rows.filter((id) => g.op[id] === "var");
  const varOffset = Int32Array.from(vars, (id) => slot.get(id)!);
  const varColumn = Int32Array.from(vars, (id) => g.value[id]!);
  const castOffset = Int32Array.from(broadcast, (id) => slot.get(id)!);
  /** Scratch offset of each root, or −1 when it is row-invariant (read from `scalar`). */
  const rootOffset = Int32Array.from(plan.roots, (r) => (g.varying[r] ? slot.get(r)! : -1));
  const full = compile(g, plan.rows, slot);
  const valueOnly = compile(g, plan.valueRows, slot);

  const run = (pr: Program, len: number): void => {
    const s = scratch;
    for (let k = 0; k < pr.code.length; k++) {
      const o = pr.out[k]!;
      const a = pr.args[4 * k]!;
      const b = pr.args[4 * k + 1]!;
      switch (pr.code[k]) {
        case CODE.neg:
          for (let i = 0; i < len; i++) s[o + i] = -s[a + i]!;
          break;
        case CODE.add:
          for (let i = 0; i < len; i++) s[o + i] = s[a + i]! + s[b + i]!;
          break;
        case CODE.sub:
          for (let i = 0; i < len; i++) s[o + i] = s[a + i]! - s[b + i]!;
          break;
        case CODE.mul:
          for (let i = 0; i < len; i++) s[o + i] = s[a + i]! * s[b + i]!;
          break;
        case CODE.div:
          for (let i = 0; i < len; i++) s[o + i] = s[a + i]! / s[b + i]!;
          break;
        case CODE.ifle: {
          const c = pr.args[4 * k + 2]!;
          const d = pr.args[4 * k + 3]!;
          for (let i = 0; i < len; i++) s[o + i] = s[a + i]! <= s[b + i]! ? s[c + i]! : s[d + i]!;
          break;
        }
        default: {
          const fn = pr.fns[k]!;
          for (let i = 0; i < len; i++) s[o + i] = fn(s[a + i]!, s[b + i]!);
        }
      }
    }
  };

  const evalScalar = (id: number, theta: Float64Array): number => {
    const op = g.op[id]!;
    const args = g.args[id]!;
    const x = (k: number): number => scalar[args[k]!]!;
    if (op === "param") return theta[g.value[id]!]!;
    if (op === "ifle") return applyIfle(x(0), x(1), x(2), x(3));
    if (isUnary(op)) return applyUnary(op, x(0));
    if (isBinary(op)) return applyBinary(op, x(0), x(1));
    throw new Error(`formula: cannot interpret ${op} (a bug in biograd)`);
  };

  return (theta, columns, n, f, jac) => {
    checkShapes(theta, columns, n, f, jac);
    for (const id of plan.invariant) scalar[id] = evalScalar(id, theta);
    const pr = jac === null ? valueOnly : full;
    const roots = jac === null ? 1 : p + 1;
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const len = Math.min(BLOCK, n - r0);
      for (let v = 0; v < varOffset.length; v++) {
        const col = columns[varColumn[v]!]!;
        const o = varOffset[v]!;
        for (let i = 0; i < len; i++) scratch[o + i] = col[r0 + i]!;
      }
      for (let c = 0; c < broadcast.length; c++) {
        const o = castOffset[c]!;
        scratch.fill(scalar[broadcast[c]!]!, o, o + len);
      }
      run(pr, len);
      for (let j = 0; j < roots; j++) {
        const o = rootOffset[j]!;
        const out = j === 0 ? f : jac!;
        const start = j === 0 ? r0 : r0 * p + j - 1;
        const stride = j === 0 ? 1 : p;
        const constant = o < 0 ? scalar[plan.roots[j]!]! : 0;
        for (let i = 0; i < len; i++) out[start + i * stride] = o < 0 ? constant : scratch[o + i]!;
      }
    }
  };
}

/** The operations computing `ids` (row-varying nodes; variables are copied in, not computed). */
function compile(g: Graph, ids: readonly number[], slot: ReadonlyMap<number, number>): Program {
  const ops = ids.filter((id) => g.op[id] !== "var");
  const pr: Program = {
    code: new Int32Array(ops.length),
    out: new Int32Array(ops.length),
    args: new Int32Array(4 * ops.length),
    fns: [],
  };
  ops.forEach((id, k) => {
    const op = g.op[id]!;
    pr.out[k] = slot.get(id)!;
    g.args[id]!.forEach((a, m) => {
      pr.args[4 * k + m] = slot.get(a)!;
    });
    if (op in CODE) {
      pr.code[k] = CODE[op as keyof typeof CODE];
    } else if (isUnary(op) || isBinary(op)) {
      pr.code[k] = CODE.call;
      pr.fns[k] = MATH[op as MathName] as Fn;
    } else {
      throw new Error(`formula: cannot interpret ${op} (a bug in biograd)`);
    }
  });
  return pr;
}
