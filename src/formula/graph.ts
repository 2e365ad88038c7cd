/**
 * The evaluation DAG, hash-consed: asking for a node that exists returns its id, so every
 * distinct subexpression of the value and of all derivatives exists once and is computed
 * once per row. Children always have smaller ids than their parents, so increasing id order
 * is an evaluation order. Nodes are only made through simplify.ts's constructors (and the
 * leaves here).
 */
import type { Op } from "./ops.js";

export class Graph {
  readonly op: Op[] = [];
  readonly args: (readonly number[])[] = [];
  /** `num`: the value; `param`/`var`: the index; otherwise 0. */
  readonly value: number[] = [];
  /** Whether the node depends on a variable (varies by row). */
  readonly varying: boolean[] = [];
  private readonly table = new Map<string, number>();

  get size(): number {
    return this.op.length;
  }

  /**
   * The node (op, args, value), made if new. No simplification: see simplify.ts. For a
   * `commutative` op the operands' order does not matter: a·b then b·a finds the a·b node.
   */
  intern(op: Op, args: readonly number[], value = 0, commutative = false): number {
    const v = Object.is(value, -0) ? "-0" : String(value);
    const ids = commutative ? [...args].sort((x, y) => x - y) : args;
    const key = `${op}:${v}:${ids.join(",")}`;
    const found = this.table.get(key);
    if (found !== undefined) return found;
    const id = this.op.length;
    this.op.push(op);
    this.args.push(args);
    this.value.push(value);
    this.varying.push(op === "var" || args.some((a) => this.varying[a]!));
    this.table.set(key, id);
    return id;
  }

  num(value: number): number {
    return this.intern("num", [], value);
  }

  param(index: number): number {
    return this.intern("param", [], index);
  }

  variable(index: number): number {
    return this.intern("var", [], index);
  }

  /** Whether node `id` is the number `v` (either zero when `v` is 0), or any number. */
  isNum(id: number, v?: number): boolean {
    return this.op[id] === "num" && (v === undefined || this.value[id] === v);
  }

  isZero(id: number): boolean {
    return this.isNum(id, 0);
  }

  arg(id: number, k: number): number {
    return this.args[id]![k]!;
  }
}
