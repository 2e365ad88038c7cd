/**
 * The allow-list. A syntax tree passes when it holds only numbers, declared names, `pi`,
 * `e`, `+ - * / ^`, unary minus and plus, parentheses and the functions of functions.ts
 * with their arities; then it becomes a checked Expr. Otherwise the problem that comes first
 * in the text is thrown as a FormulaError with its place and a hint.
 */
import { errorAt } from "./errors.js";
import type { Expr } from "./expr.js";
import { describeArity, FUNCTIONS, type FunctionName, isFunctionName } from "./functions.js";
import {
  CONSTRUCTS,
  type Message,
  operatorProblem,
  unknownFunction,
  unknownName,
} from "./messages.js";
import { FORBIDDEN_NAMES } from "./names.js";
import type { Scope } from "./spec.js";
import type { SyntaxNode } from "./syntax.js";

/** A problem at an offset of the text. */
export interface Problem {
  at: number;
  problem: string;
  hint: string | null;
}

const BINARY = { "+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow" } as const;

/**
 * Every problem of `tree`, in the order met: a construct's own problem before those of its
 * children, so that at one place the enclosing construct is reported.
 */
export function findProblems(tree: SyntaxNode, scope: Scope, text: string): Problem[] {
  const problems: Problem[] = [];
  const add = (at: number, [problem, hint]: Message): void => {
    problems.push({ at, problem, hint });
  };
  const visit = (node: SyntaxNode): void => {
    switch (node.kind) {
      case "number":
        if (!Number.isFinite(node.value)) {
          add(node.start, [`number "${text.slice(node.start, node.end)}" is not finite`, null]);
        }
        return;
      case "name": {
        const { name } = node;
        if (scope.bindings.has(name)) return;
        if (FORBIDDEN_NAMES.has(name))
          add(node.start, [`"${name}" is not allowed as a name`, null]);
        else if (isFunctionName(name))
          add(node.start, [`"${name}" is a function`, `call it as ${name}(…)`]);
        else add(node.start, unknownName(name, scope));
        return;
      }
      case "call": {
        const { callee, args } = node;
        if (callee.kind !== "name") {
          visit(callee); // `a.b(1)`: the member access is the problem
          if (callee.kind !== "other")
            add(callee.start, ["only named functions can be called", null]);
        } else if (isFunctionName(callee.name)) {
          const arity = FUNCTIONS.get(callee.name)!;
          if (args.length < arity.min || args.length > arity.max) {
            add(callee.start, [`${describeArity(callee.name)}, got ${args.length}`, null]);
          }
        } else {
          add(callee.start, unknownFunction(callee.name, scope));
        }
        for (const a of args) visit(a);
        return;
      }
      case "unary":
        if (node.op !== "-" && node.op !== "+") add(node.at, operatorProblem(node.op));
        visit(node.arg);
        return;
      case "binary":
        visit(node.left);
        if (node.implicit) {
          const l = text.slice(node.left.start, node.left.end);
          const r = text.slice(node.right.start, node.right.end);
          add(node.at, ["implicit multiplication is not allowed", `write ${l}*${r}`]);
        } else if (!Object.hasOwn(BINARY, node.op)) {
          add(node.at, operatorProblem(node.op));
        }
        visit(node.right);
        return;
      case "paren":
        visit(node.body);
        return;
      case "other":
        for (const b of node.before) visit(b);
        add(node.at, CONSTRUCTS[node.construct](node.token));
        return;
    }
  };
  visit(tree);
  return problems;
}

/** The checked Expr of `tree`, or the FormulaError of its first problem in the text. */
export function checkFormula(tree: SyntaxNode, scope: Scope, text: string): Expr {
  const problems = findProblems(tree, scope, text);
  if (problems.length > 0) {
    // Stable: at one place, the problem met first (the enclosing construct) wins.
    const first = [...problems].sort((a, b) => a.at - b.at)[0]!;
    throw errorAt(text, first.at, first.problem, first.hint);
  }
  return build(tree, scope);
}

function build(node: SyntaxNode, scope: Scope): Expr {
  switch (node.kind) {
    case "number":
      return { kind: "number", value: node.value };
    case "name": {
      const b = scope.bindings.get(node.name)!;
      if (b.kind === "constant") return { kind: "number", value: b.value, name: node.name };
      return { kind: b.kind, index: b.index, name: node.name };
    }
    case "call":
      return {
        kind: "call",
        fn: (node.callee as { name: FunctionName }).name,
        args: node.args.map((a) => build(a, scope)),
      };
    case "unary":
      return node.op === "-"
        ? { kind: "neg", arg: build(node.arg, scope) }
        : build(node.arg, scope);
    case "binary":
      return {
        kind: BINARY[node.op as keyof typeof BINARY],
        left: build(node.left, scope),
        right: build(node.right, scope),
      };
    case "paren":
      return build(node.body, scope);
    case "other":
      throw new Error("formula: unchecked construct (a bug in biograd)");
  }
}
