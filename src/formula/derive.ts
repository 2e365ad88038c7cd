/**
 * Symbolic partial derivatives on the DAG, w.r.t. one parameter, memoised per node (so a
 * shared subexpression is differentiated once) and built with the simplifying constructors
 * (so terms without the parameter vanish). Where it can, a rule reuses the node itself:
 *   d(a/b) = (da − (a/b)·db)/b      d exp(a) = exp(a)·da     d sqrt(a) = da/(2·sqrt(a))
 *   d tan(a) = (1 + tan²a)·da       d tanh(a) = (1 − tanh²a)·da
 *   d a^b = b·a^(b−1)·da            when b does not depend on the parameter (power rule)
 *   d a^b = a^b·log a·db            when a does not (0 for a ≤ 0, the limit at a = 0)
 *   d a^b = a^b·(db·log a + b·da/a) otherwise
 *   d |a| = sign(a)·da              d min(a, b) = (a <= b ? da : db), max likewise
 * (the last two choose a one-sided derivative where the function has a kink).
 */
import type { Graph } from "./graph.js";
import { binary, ifle, unary } from "./simplify.js";

/** The node of ∂node/∂θ_k. `memo` caches per node for this k (pass one map per k). */
export function derivative(
  g: Graph,
  node: number,
  k: number,
  memo = new Map<number, number>(),
): number {
  const cached = memo.get(node);
  if (cached !== undefined) return cached;
  const d = rule(g, node, k, memo);
  memo.set(node, d);
  return d;
}

function rule(g: Graph, n: number, k: number, memo: Map<number, number>): number {
  const op = g.op[n]!;
  if (op === "num" || op === "var" || op === "sign") return g.num(0);
  if (op === "param") return g.num(g.value[n] === k ? 1 : 0);
  const a = g.arg(n, 0);
  const da = derivative(g, a, k, memo);
  const mul = (x: number, y: number): number => binary(g, "mul", x, y);
  const div = (x: number, y: number): number => binary(g, "div", x, y);
  const one = g.num(1);
  switch (op) {
    case "neg":
      return unary(g, "neg", da);
    case "exp":
      return mul(n, da);
    case "log":
      return div(da, a);
    case "log10":
      return div(da, mul(a, g.num(Math.LN10)));
    case "log2":
      return div(da, mul(a, g.num(Math.LN2)));
    case "sqrt":
      return div(da, mul(g.num(2), n));
    case "abs":
      return mul(unary(g, "sign", a), da);
    case "sin":
      return mul(unary(g, "cos", a), da);
    case "cos":
      return unary(g, "neg", mul(unary(g, "sin", a), da));
    case "tan":
      return mul(binary(g, "add", one, mul(n, n)), da);
    case "atan":
      return div(da, binary(g, "add", one, mul(a, a)));
    case "tanh":
      return mul(binary(g, "sub", one, mul(n, n)), da);
    case "sinh":
      return mul(unary(g, "cosh", a), da);
    case "cosh":
      return mul(unary(g, "sinh", a), da);
  }
  const b = g.arg(n, 1);
  const db = derivative(g, b, k, memo);
  switch (op) {
    case "add":
    case "sub":
      return binary(g, op, da, db);
    case "mul":
      return binary(g, "add", mul(da, b), mul(a, db));
    case "div":
      return div(binary(g, "sub", da, mul(n, db)), b);
    case "pow":
      if (g.isZero(db)) return mul(mul(b, binary(g, "pow", a, binary(g, "sub", b, one))), da);
      if (g.isZero(da)) {
        // d a^b = a^b·log(a)·db with a free of the parameter (x^n in a Hill curve): at a = 0
        // that is 0·(−∞) = NaN, but the limit for b > 0 is 0 — a zero-dose row must not
        // poison the Jacobian.
        return ifle(g, a, g.num(0), g.num(0), mul(mul(n, unary(g, "log", a)), db));
      }
      return mul(n, binary(g, "add", mul(db, unary(g, "log", a)), div(mul(b, da), a)));
    case "min":
      return ifle(g, a, b, da, db);
    case "max":
      return ifle(g, b, a, da, db);
    case "ifle":
      return ifle(
        g,
        a,
        b,
        derivative(g, g.arg(n, 2), k, memo),
        derivative(g, g.arg(n, 3), k, memo),
      );
    default:
      throw new Error(`formula: no derivative rule for ${op} (a bug in biograd)`);
  }
}
