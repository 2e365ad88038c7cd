/**
 * A checked Expr → a node of the evaluation DAG, through the simplifying constructors.
 * `log(x, b)` becomes log(x)/log(b), `pow(a, b)` becomes a^b, and min/max of several
 * arguments fold from the left.
 */
import type { Expr } from "./expr.js";
import type { Graph } from "./graph.js";
import { binary, unary } from "./simplify.js";

export function lower(g: Graph, e: Expr): number {
  switch (e.kind) {
    case "number":
      return g.num(e.value);
    case "param":
      return g.param(e.index);
    case "variable":
      return g.variable(e.index);
    case "neg":
      return unary(g, "neg", lower(g, e.arg));
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
      return binary(g, e.kind, lower(g, e.left), lower(g, e.right));
    case "call": {
      const args = e.args.map((a) => lower(g, a));
      switch (e.fn) {
        case "pow":
          return binary(g, "pow", args[0]!, args[1]!);
        case "min":
        case "max": {
          const fn = e.fn;
          return args.slice(1).reduce((acc, a) => binary(g, fn, acc, a), args[0]!);
        }
        case "log":
          if (args.length === 2) {
            return binary(g, "div", unary(g, "log", args[0]!), unary(g, "log", args[1]!));
          }
          return unary(g, "log", args[0]!);
        default:
          return unary(g, e.fn, args[0]!);
      }
    }
  }
}
