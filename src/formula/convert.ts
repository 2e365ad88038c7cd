/**
 * mathjs's node tree → our syntax tree with positions. mathjs nodes carry no source
 * positions, so the walk visits each node's tokens in the order they appear in the text and
 * a Cursor finds them there: names and operators by their exact text, literals by pattern,
 * brackets by matching. Constructs formulas do not allow become `other` nodes located at
 * their telling token; the sub-expressions before that token are kept, so that errors
 * earlier in the text are reported first.
 */
import type {
  AccessorNode,
  AssignmentNode,
  BlockNode,
  ConditionalNode,
  FunctionAssignmentNode,
  FunctionNode,
  IndexNode,
  MathNode,
  ParenthesisNode,
  RangeNode,
  SymbolNode,
} from "mathjs";
import { Cursor, NUMBER_LITERAL, STRING_LITERAL, WORD } from "./cursor.js";
import { errorAt } from "./errors.js";
import type { Construct, OtherSyntax, SyntaxNode } from "./syntax.js";

/** How deeply a formula may nest (parentheses, calls, operators), to bound every recursion. */
export const MAX_DEPTH = 500;

const POSTFIX = new Set(["!", "'"]);
const COMPARISON = /[<>=!]=?/y;

interface OperatorLike extends MathNode {
  op: string;
  args: MathNode[];
  implicit: boolean;
  isPercentage?: boolean;
}
interface ConstantLike extends MathNode {
  value: unknown;
}
interface RelationalLike extends MathNode {
  params: MathNode[];
}

export function convert(root: MathNode, text: string): SyntaxNode {
  const cur = new Cursor(text);

  const other = (
    construct: Construct,
    at: number,
    token: string,
    before: SyntaxNode[],
    start = before[0]?.start ?? at,
  ): OtherSyntax => ({ kind: "other", construct, at, token, before, start, end: cur.pos });

  const list = (nodes: readonly MathNode[], depth: number): SyntaxNode[] =>
    nodes.map((n, i) => {
      if (i > 0) cur.expect(",");
      return walk(n, depth);
    });

  /** `.name`, `[i, j]` or `?.name` after an object; returns where it starts and its kind. */
  const index = (node: IndexNode, optional: boolean, depth: number) => {
    const at = optional ? cur.expect("?.") : cur.expect(node.dotNotation ? "." : "[");
    if (node.dotNotation) {
      const name = (node.dimensions[0] as ConstantLike | undefined)?.value;
      if (typeof name === "string") cur.expect(name);
      return { at, construct: "member" as const, token: optional ? "?." : "." };
    }
    if (optional) cur.expect("[");
    list(node.dimensions, depth);
    cur.expect("]");
    return { at, construct: "index" as const, token: "[" };
  };

  const walk = (node: MathNode, depth: number): SyntaxNode => {
    if (depth > MAX_DEPTH) {
      cur.skip();
      throw errorAt(text, cur.pos, "the formula nests too deeply", `at most ${MAX_DEPTH} levels`);
    }
    const d = depth + 1;
    switch (node.type) {
      case "ConstantNode": {
        const value = (node as ConstantLike).value;
        if (typeof value === "number") {
          let m = cur.match(NUMBER_LITERAL);
          if (m.token === "") m = cur.match(WORD); // Infinity, NaN
          return { kind: "number", value, start: m.at, end: cur.pos };
        }
        const m = cur.match(typeof value === "string" ? STRING_LITERAL : WORD);
        return other(typeof value === "string" ? "string" : "literal", m.at, m.token, []);
      }
      case "SymbolNode": {
        const name = (node as SymbolNode).name;
        const start = cur.expect(name);
        return { kind: "name", name, start, end: cur.pos };
      }
      case "ParenthesisNode": {
        const start = cur.expect("(");
        const body = walk((node as ParenthesisNode).content, d);
        cur.expect(")");
        return { kind: "paren", body, start, end: cur.pos };
      }
      case "FunctionNode": {
        const fn = node as FunctionNode<MathNode>;
        const callee = walk(fn.fn, d);
        cur.expect("(");
        const args = list(fn.args, d);
        cur.expect(")");
        return { kind: "call", callee, args, start: callee.start, end: cur.pos };
      }
      case "OperatorNode": {
        const { op, args, implicit, isPercentage } = node as OperatorLike;
        if (args.length === 1) {
          if (POSTFIX.has(op)) {
            const arg = walk(args[0]!, d);
            const at = cur.expect(op);
            return { kind: "unary", op, at, arg, start: arg.start, end: cur.pos };
          }
          const at = cur.expect(op);
          const arg = walk(args[0]!, d);
          return { kind: "unary", op, at, arg, start: at, end: cur.pos };
        }
        let left = walk(args[0]!, d);
        if (isPercentage) return other("percent", cur.expect("%"), "%", [left]);
        for (const next of args.slice(1)) {
          let at: number;
          if (implicit) {
            cur.skip();
            at = cur.pos;
          } else {
            at = cur.expect(op);
          }
          const right = walk(next, d);
          left = { kind: "binary", op, at, implicit, left, right, start: left.start, end: cur.pos };
        }
        return left;
      }
      case "RelationalNode": {
        const params = (node as RelationalLike).params;
        const first = walk(params[0]!, d);
        const { at, token } = cur.match(COMPARISON);
        params.slice(1).forEach((p, i) => {
          if (i > 0) cur.match(COMPARISON);
          walk(p, d);
        });
        return other("comparison", at, token, [first]);
      }
      case "ConditionalNode": {
        const c = node as ConditionalNode;
        const before = [walk(c.condition, d)];
        const at = cur.expect("?");
        walk(c.trueExpr, d);
        cur.expect(":");
        walk(c.falseExpr, d);
        return other("conditional", at, "?", before);
      }
      case "RangeNode": {
        const r = node as RangeNode;
        const before = [walk(r.start, d)];
        const at = cur.expect(":");
        if (r.step !== null) {
          walk(r.step, d);
          cur.expect(":");
        }
        walk(r.end, d);
        return other("range", at, ":", before);
      }
      case "AccessorNode": {
        const a = node as AccessorNode;
        const object = walk(a.object, d);
        const { at, construct, token } = index(a.index, a.optionalChaining, d);
        // The access is the problem, not what is accessed — unless that is an access too.
        return other(construct, at, token, object.kind === "other" ? [object] : [], object.start);
      }
      case "AssignmentNode": {
        const a = node as AssignmentNode;
        const target = walk(a.object, d);
        if (a.index !== null) index(a.index, false, d);
        const at = cur.expect("=");
        walk(a.value, d);
        // `y = …`: the name assigned to is not a use (an unknown `y` is not the problem).
        const before = target.kind === "name" && a.index === null ? [] : [target];
        return other("assignment", at, "=", before, target.start);
      }
      case "FunctionAssignmentNode": {
        const f = node as FunctionAssignmentNode;
        const at = cur.expect(f.name);
        cur.expect("(");
        f.params.forEach((p, i) => {
          if (i > 0) cur.expect(",");
          cur.expect(p);
        });
        cur.expect(")");
        cur.expect("=");
        walk(f.expr, d);
        return other("function-definition", at, f.name, []);
      }
      case "ArrayNode":
        return other("array", cur.skipBalanced("[", "]"), "[", []);
      case "ObjectNode":
        return other("object", cur.skipBalanced("{", "}"), "{", []);
      case "BlockNode": {
        const blocks = (node as BlockNode).blocks;
        const first = walk(blocks[0]!.node, d);
        cur.skip(false);
        if (cur.text[cur.pos] === ";") return other("several-expressions", cur.pos, ";", [first]);
        if (blocks.length === 1) return first; // a trailing newline
        cur.skip();
        return other("several-expressions", cur.pos, "\n", [first]);
      }
      default:
        throw new Error(`formula: unexpected mathjs node ${node.type} (a bug in biograd)`);
    }
  };

  return walk(root, 0);
}
