/**
 * A DAG node as formula text, with only the parentheses precedence needs (`-x^2` is
 * −(x²), `^` is right associative; t·t is written t^2): for documentation and debugging.
 * Shared subexpressions are written out each time they occur; text longer than MAX_TEXT is
 * cut to "…".
 */
import type { Graph } from "./graph.js";
import { isBinary } from "./ops.js";
import { needsQuotes } from "./quoted-names.js";

export const MAX_TEXT = 10_000;

const SYMBOL = { add: " + ", sub: " - ", mul: " * ", div: " / ", pow: "^" } as const;
const PREC = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4 } as const;
const ATOM = 5;

export function printNode(
  g: Graph,
  node: number,
  params: readonly string[],
  variables: readonly string[],
): string {
  const memo = new Map<number, { text: string; prec: number }>();

  const show = (n: number): { text: string; prec: number } => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let out = make(n);
    if (out.text.length > MAX_TEXT) out = { text: "…", prec: ATOM };
    memo.set(n, out);
    return out;
  };
  const wrap = (n: number, parens: (prec: number) => boolean): string => {
    const { text, prec } = show(n);
    return parens(prec) ? `(${text})` : text;
  };

  const make = (n: number): { text: string; prec: number } => {
    const op = g.op[n]!;
    const v = g.value[n]!;
    if (op === "num") {
      const text = Object.is(v, -0) ? "-0" : String(v);
      return { text, prec: text.startsWith("-") ? PREC.neg : ATOM };
    }
    if (op === "param") return { text: quote(params[v]!), prec: ATOM };
    if (op === "var") return { text: quote(variables[v]!), prec: ATOM };
    const args = g.args[n]!;
    if (op === "neg") return { text: `-${wrap(args[0]!, (p) => p < PREC.neg)}`, prec: PREC.neg };
    if (op === "ifle") {
      const [a, b, x, y] = args.map((m) => show(m).text);
      return { text: `(${a} <= ${b} ? ${x} : ${y})`, prec: ATOM };
    }
    if (op === "pow" || (op === "mul" && args[0] === args[1])) {
      // t·t (how x^2 is computed) is written t^2.
      const base = wrap(args[0]!, (p) => p <= PREC.pow);
      const exponent = op === "pow" ? wrap(args[1]!, (p) => p < PREC.pow) : "2";
      return { text: `${base}^${exponent}`, prec: PREC.pow };
    }
    if (isBinary(op) && op !== "min" && op !== "max") {
      const prec = PREC[op];
      const left = wrap(args[0]!, (p) => p < prec);
      const right = wrap(args[1]!, (p) => p <= prec);
      return { text: `${left}${SYMBOL[op]}${right}`, prec };
    }
    return { text: `${op}(${args.map((m) => show(m).text).join(", ")})`, prec: ATOM };
  };

  return show(node).text;
}

/** A name as a formula must write it: in backticks unless mathjs reads it as an identifier. */
function quote(name: string): string {
  return needsQuotes(name) ? `\`${name}\`` : name;
}
