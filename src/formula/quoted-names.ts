/**
 * Backtick-quoted names: a column called `conc (uM)` or `Konz_µM` is written in a formula as
 * `` `conc (uM)` ``. mathjs reads identifiers only, so each quoted name is replaced by a
 * placeholder identifier of exactly the same length before parsing — every offset, and so
 * every error position, stays right — and the parsed tree's names are mapped back.
 */
import { errorAt } from "./errors.js";
import type { SyntaxNode } from "./syntax.js";

export interface Unquoted {
  /** The text with each quoted name replaced by its placeholder. */
  text: string;
  /** Placeholder → the name it stands for. */
  names: Map<string, string>;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A name needs quotes unless mathjs reads it as one identifier (ASCII letters, digits, _ $). */
export function needsQuotes(name: string): boolean {
  return !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

export function unquoteNames(text: string): Unquoted {
  const names = new Map<string, string>();
  if (!text.includes("`")) return { text, names };
  let out = "";
  let from = 0;
  let count = 0;
  for (let open = text.indexOf("`"); open >= 0; open = text.indexOf("`", from)) {
    const close = text.indexOf("`", open + 1);
    const newline = text.indexOf("\n", open + 1);
    if (close < 0 || (newline >= 0 && newline < close)) {
      throw errorAt(text, open, "unclosed quoted name", "a quoted name ends with ` on its line");
    }
    const name = text.slice(open + 1, close);
    if (name.trim() === "") throw errorAt(text, open, "empty quoted name");
    const placeholder = makePlaceholder(text, close + 1 - open, count++, names);
    names.set(placeholder, name);
    out += text.slice(from, open) + placeholder;
    from = close + 1;
  }
  return { text: out + text.slice(from), names };
}

/** `$` + the count in base 36, padded with `_` to `length`, not occurring in the text. */
function makePlaceholder(
  text: string,
  length: number,
  start: number,
  taken: ReadonlyMap<string, string>,
): string {
  for (let k = start; ; k++) {
    let digits = "";
    let n = k;
    do {
      digits = DIGITS[n % 36]! + digits;
      n = Math.floor(n / 36);
    } while (n > 0);
    if (digits.length > length - 1) {
      throw errorAt(text, 0, "too many short quoted names", "quote fewer, or longer, names");
    }
    const p = `$${digits.padEnd(length - 1, "_")}`;
    if (!text.includes(p) && !taken.has(p)) return p;
  }
}

/** The tree with each placeholder name replaced by the quoted name it stands for. */
export function restoreNames(node: SyntaxNode, names: ReadonlyMap<string, string>): SyntaxNode {
  if (names.size === 0) return node;
  const visit = (n: SyntaxNode): void => {
    switch (n.kind) {
      case "name":
        n.name = names.get(n.name) ?? n.name;
        return;
      case "call":
        visit(n.callee);
        for (const a of n.args) visit(a);
        return;
      case "unary":
        visit(n.arg);
        return;
      case "binary":
        visit(n.left);
        visit(n.right);
        return;
      case "paren":
        visit(n.body);
        return;
      case "other":
        n.token = names.get(n.token) ?? n.token;
        for (const b of n.before) visit(b);
        return;
      case "number":
        return;
    }
  };
  visit(node);
  return node;
}
