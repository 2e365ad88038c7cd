/**
 * A parser for the formulas people write almost always — numbers, names, calls, parentheses,
 * unary ±, + − * / ^ — that needs no mathjs. Loading mathjs costs more than all the rest of
 * a single fit (bench/startup/RESULTS.md), so parse.ts tries this first and asks mathjs only
 * when it returns null: for anything else (implicit multiplication, other operators, line
 * breaks, comments, keywords) and for every error, so messages and positions stay mathjs's.
 *
 * It follows mathjs's grammar for the subset (test/formula/fast-parse.test.ts compares its
 * trees with convert(mathParse(text)) on a corpus): `-x^2` = −(x²), `2^-1`, `^` right
 * associative, + − * / left associative, unary ± above * / and below ^.
 */
import { MAX_DEPTH } from "./convert.js";
import type { SyntaxNode } from "./syntax.js";

/** Characters of the subset; any other (newline, `#`, `%`, `!`, …) goes to mathjs. */
const SUBSET = /^[A-Za-z0-9_$ \t.+\-*/^(),]*$/;
/** mathjs's identifiers in ASCII (quoted names arrive as `$…` placeholders). */
const NAME = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
/** Words mathjs reads as operators or literals, not as names. */
const WORDS: ReadonlySet<string> = new Set([
  "mod",
  "to",
  "in",
  "and",
  "xor",
  "or",
  "not",
  "true",
  "false",
  "null",
  "undefined",
  "NaN",
  "Infinity",
]);
/** What may follow a number: a letter, digit or dot there is mathjs's business. */
const AFTER_NUMBER = /[A-Za-z0-9_$.]/;
/** Trees deeper than this go to mathjs, whose path reports "nests too deeply" (convert.ts). */
const MAX_HEIGHT = Math.min(100, MAX_DEPTH);

/** Thrown inside the parser when the text leaves the subset. */
const OUTSIDE = Symbol("outside the subset");

/** The syntax tree of `text`, or null when mathjs must read it. */
export function fastParse(text: string): SyntaxNode | null {
  if (!SUBSET.test(text)) return null;
  const height = new Map<SyntaxNode, number>();
  let pos = 0;
  // Recursion depth, bounded before any tree is built (a text of 10,000 "(" or "-").
  let depth = 0;
  const enter = () => {
    if (++depth > MAX_HEIGHT) throw OUTSIDE;
  };

  const peek = (): string => {
    while (text[pos] === " " || text[pos] === "\t") pos++;
    return text[pos] ?? "";
  };
  const sticky = (pattern: RegExp): string | null => {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    return m === null ? null : m[0];
  };
  const node = <T extends SyntaxNode>(n: T, ...children: SyntaxNode[]): T => {
    const h = 1 + Math.max(0, ...children.map((c) => height.get(c)!));
    if (h > MAX_HEIGHT) throw OUTSIDE;
    height.set(n, h);
    return n;
  };

  // An explicit binary operator at `at`, spanning its operands.
  const binary = (
    op: "+" | "-" | "*" | "/" | "^",
    at: number,
    left: SyntaxNode,
    right: SyntaxNode,
  ): SyntaxNode =>
    node(
      { kind: "binary", op, at, implicit: false, left, right, start: left.start, end: right.end },
      left,
      right,
    );

  // expr := term (("+" | "-") term)*
  const expr = (): SyntaxNode => {
    enter();
    let left = term();
    for (let c = peek(); c === "+" || c === "-"; c = peek()) {
      const at = pos++;
      const right = term();
      left = binary(c, at, left, right);
    }
    depth--;
    return left;
  };
  // term := unary (("*" | "/") unary)*
  const term = (): SyntaxNode => {
    let left = unary();
    for (let c = peek(); c === "*" || c === "/"; c = peek()) {
      const at = pos++;
      const right = unary();
      left = binary(c, at, left, right);
    }
    return left;
  };
  // unary := ("-" | "+") unary | pow
  const unary = (): SyntaxNode => {
    const c = peek();
    if (c !== "-" && c !== "+") return pow();
    const at = pos++;
    enter();
    const arg = unary();
    depth--;
    return node({ kind: "unary", op: c, at, arg, start: at, end: arg.end }, arg);
  };
  // pow := primary ("^" unary)?
  const pow = (): SyntaxNode => {
    const left = primary();
    if (peek() !== "^") return left;
    const at = pos++;
    const right = unary();
    return binary("^", at, left, right);
  };
  // primary := number | name | name "(" [expr ("," expr)*] ")" | "(" expr ")"
  const primary = (): SyntaxNode => {
    const c = peek();
    const start = pos;
    if (c === "(") {
      pos++;
      const body = expr();
      close();
      return node({ kind: "paren", body, start, end: pos }, body);
    }
    const number = sticky(NUMBER);
    if (number !== null) {
      pos += number.length;
      if (AFTER_NUMBER.test(text[pos] ?? "")) throw OUTSIDE;
      return node({ kind: "number", value: Number(number), start, end: pos });
    }
    const name = sticky(NAME);
    if (name === null || WORDS.has(name)) throw OUTSIDE;
    pos += name.length;
    const callee = node({ kind: "name", name, start, end: pos });
    if (peek() !== "(") return callee;
    pos++;
    const args: SyntaxNode[] = [];
    if (peek() !== ")") {
      args.push(expr());
      while (peek() === ",") {
        pos++;
        args.push(expr());
      }
    }
    close();
    return node({ kind: "call", callee, args, start, end: pos }, callee, ...args);
  };
  const close = () => {
    if (peek() !== ")") throw OUTSIDE;
    pos++;
  };

  try {
    const tree = expr();
    return peek() === "" ? tree : null;
  } catch (e) {
    if (e === OUTSIDE) return null;
    throw e;
  }
}
