/**
 * The operations of the evaluation DAG and their exact scalar meaning. Constant folding
 * (simplify.ts), the interpreter and the generated code all use these functions — captured
 * once, here — so a folded constant equals what run time would compute, and the two
 * evaluation modes agree bit for bit.
 */
import type { UnaryFunction } from "./functions.js";

export type UnaryOp = UnaryFunction | "neg" | "sign";
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "min" | "max";
/**
 * `num` (value), `param` and `var` (index) are leaves; `ifle(a, b, x, y)` is
 * `a <= b ? x : y`, the branch selector of min/max derivatives.
 */
export type Op = "num" | "param" | "var" | UnaryOp | BinaryOp | "ifle";

export const MATH = Object.freeze({
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  atan: Math.atan,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
});

export type MathName = keyof typeof MATH;
export const MATH_NAMES = Object.keys(MATH) as MathName[];

const UNARY = new Set<string>([
  "neg",
  ...MATH_NAMES.filter((m) => !["pow", "min", "max"].includes(m)),
]);
const BINARY = new Set<string>(["add", "sub", "mul", "div", "pow", "min", "max"]);

export const isUnary = (op: Op): op is UnaryOp => UNARY.has(op);
export const isBinary = (op: Op): op is BinaryOp => BINARY.has(op);

export function applyUnary(op: UnaryOp, a: number): number {
  return op === "neg" ? -a : MATH[op](a);
}

export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
    default:
      return MATH[op](a, b);
  }
}

export function applyIfle(a: number, b: number, x: number, y: number): number {
  return a <= b ? x : y;
}
