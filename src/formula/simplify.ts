/**
 * Node constructors that simplify as they build (Graph.intern does the sharing):
 * - constant folding with the run-time operations (ops.ts), so folded = computed;
 * - identities: x+0, 0+x, x−0, x·1, x/1, x^1 → x; 0−x → −x; x·(−1) → −x; x^0 → 1;
 *   −(−x) → x; a+(−b) → a−b; a−(−b) → a+b; (−a)·b → −(a·b); (−a)/b → −(a/b), also for a
 *   negative number a (−2·x → −(2·x), so that 1 + −2·x becomes 1 − 2·x); |−x| → |x|;
 *   min(x, x) → x; a <= b ? x : x → x. Each is exact in floating point except for the sign
 *   of a zero result (x+0 for x = −0, 0−x for x = 0);
 * - x^2 → x·x (correctly rounded; pow may be an ulp off, and is slower);
 * - structural zeros: 0·x → 0 and 0/x → 0, as every symbolic and automatic differentiation
 *   does for a term that is identically zero (even where the other factor is infinite);
 * - x+x → 2·x (both exact);
 * - commutative operations (+, ·, min, max) are one node whichever the operands' order
 *   (IEEE addition and multiplication are commutative), kept in the order first written
 *   except that a number goes first (2·x, not x·2).
 */
import type { Graph } from "./graph.js";
import { applyBinary, applyUnary, type BinaryOp, type UnaryOp } from "./ops.js";

const COMMUTATIVE = new Set<BinaryOp>(["add", "mul", "min", "max"]);

export function unary(g: Graph, op: UnaryOp, a: number): number {
  if (g.isNum(a)) return g.num(applyUnary(op, g.value[a]!));
  if (op === "neg" && g.op[a] === "neg") return g.arg(a, 0);
  if (op === "abs" && g.op[a] === "neg") return unary(g, "abs", g.arg(a, 0));
  return g.intern(op, [a]);
}

export function binary(g: Graph, op: BinaryOp, a: number, b: number): number {
  if (g.isNum(a) && g.isNum(b)) return g.num(applyBinary(op, g.value[a]!, g.value[b]!));
  switch (op) {
    case "add":
      if (g.isZero(a)) return b;
      if (g.isZero(b)) return a;
      if (a === b) return binary(g, "mul", g.num(2), a);
      if (g.op[b] === "neg") return binary(g, "sub", a, g.arg(b, 0));
      if (g.op[a] === "neg") return binary(g, "sub", b, g.arg(a, 0));
      break;
    case "sub":
      if (g.isZero(b)) return a;
      if (g.isZero(a)) return unary(g, "neg", b);
      if (g.op[b] === "neg") return binary(g, "add", a, g.arg(b, 0));
      break;
    case "mul":
      if (g.isZero(a) || g.isZero(b)) return g.num(0);
      if (g.isNum(a, 1)) return b;
      if (g.isNum(b, 1)) return a;
      if (g.isNum(a, -1)) return unary(g, "neg", b);
      if (g.isNum(b, -1)) return unary(g, "neg", a);
      if (isNegative(g, a) || g.op[a] === "neg")
        return unary(g, "neg", binary(g, "mul", unary(g, "neg", a), b));
      if (isNegative(g, b) || g.op[b] === "neg")
        return unary(g, "neg", binary(g, "mul", a, unary(g, "neg", b)));
      break;
    case "div":
      if (g.isZero(a)) return g.num(0);
      if (g.isNum(b, 1)) return a;
      if (g.isNum(b, -1)) return unary(g, "neg", a);
      if (isNegative(g, a) || g.op[a] === "neg")
        return unary(g, "neg", binary(g, "div", unary(g, "neg", a), b));
      if (isNegative(g, b) || g.op[b] === "neg")
        return unary(g, "neg", binary(g, "div", a, unary(g, "neg", b)));
      break;
    case "pow":
      if (g.isNum(b, 1)) return a;
      if (g.isNum(b, 0)) return g.num(1);
      if (g.isNum(b, 2)) return binary(g, "mul", a, a);
      break;
    case "min":
    case "max":
      if (a === b) return a;
      break;
  }
  if (!COMMUTATIVE.has(op)) return g.intern(op, [a, b]);
  const swap = g.isNum(b) && !g.isNum(a);
  return g.intern(op, swap ? [b, a] : [a, b], 0, true);
}

export function ifle(g: Graph, a: number, b: number, x: number, y: number): number {
  if (x === y) return x;
  if (g.isNum(a) && g.isNum(b)) return g.value[a]! <= g.value[b]! ? x : y;
  return g.intern("ifle", [a, b, x, y]);
}

/** A negative number (−0 excluded): pulled out of products and quotients as a negation. */
function isNegative(g: Graph, id: number): boolean {
  return g.isNum(id) && g.value[id]! < 0;
}
