import { BUILTIN_CONSTANTS } from "../formula/functions.js";
import { parseFormula } from "../formula/parse.js";
import type { SyntaxNode } from "../formula/syntax.js";

/**
 * The names a user formula refers to (not functions, not `pi`/`e`), in order of first
 * appearance: `Vm*conc/(K+conc)` → [Vm, conc, K]. The CLI takes those that are neither data
 * columns nor constants to be the parameters. Syntax problems are left to compileFormula,
 * which reports them with positions.
 */
export function formulaNames(text: string): string[] {
  const seen: string[] = [];
  const visit = (node: SyntaxNode): void => {
    switch (node.kind) {
      case "name":
        if (!BUILTIN_CONSTANTS.has(node.name) && !seen.includes(node.name)) seen.push(node.name);
        return;
      case "call":
        for (const a of node.args) visit(a);
        return;
      case "unary":
        visit(node.arg);
        return;
      case "binary":
        visit(node.left);
        visit(node.right);
        return;
      case "paren":
        visit(node.body);
        return;
      case "other":
        for (const b of node.before) visit(b);
        return;
      case "number":
        return;
    }
  };
  visit(parseFormula(text));
  return seen;
}
