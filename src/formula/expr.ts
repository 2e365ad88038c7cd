/**
 * A checked formula: every name resolved (parameters and variables to their index, named
 * constants to their value), only allowed operators and functions, unary plus dropped.
 * check.ts makes it from the syntax tree; graph.ts turns it into the evaluation DAG.
 */
import type { FunctionName } from "./functions.js";

export type Expr =
  | { kind: "number"; value: number /** The constant's name, when it had one. */; name?: string }
  | { kind: "param"; index: number; name: string }
  | { kind: "variable"; index: number; name: string }
  | { kind: "neg"; arg: Expr }
  | { kind: "add" | "sub" | "mul" | "div" | "pow"; left: Expr; right: Expr }
  | { kind: "call"; fn: FunctionName; args: Expr[] };
