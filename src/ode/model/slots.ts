/**
 * The symbols of a model's graph. Every name is a `param` leaf of one hash-consed Graph, so
 * symbolic differentiation (src/formula/derive.ts) works w.r.t. any of them:
 *   [states y (n)] [parameters p (all, fixed ones too)] [constants c] [t] [direction v (n)]
 * `v` has no name: it is the vector of the directional second derivatives that the stiff
 * solver's sensitivity stages need. Generated code reads each slot from its array.
 */
export class Slots {
  readonly n: number;
  readonly nParams: number;
  readonly nConstants: number;

  constructor(
    readonly states: readonly string[],
    readonly params: readonly string[],
    readonly constants: readonly string[],
  ) {
    this.n = states.length;
    this.nParams = params.length;
    this.nConstants = constants.length;
  }

  state(i: number): number {
    return i;
  }
  param(j: number): number {
    return this.n + j;
  }
  constant(k: number): number {
    return this.n + this.nParams + k;
  }
  get time(): number {
    return this.n + this.nParams + this.nConstants;
  }
  direction(i: number): number {
    return this.time + 1 + i;
  }

  /** Every nameable symbol in slot order (the `params` of the formula scope). */
  get names(): string[] {
    return [...this.states, ...this.params, ...this.constants, "t"];
  }

  /** The generated-code reference of a slot. */
  source(slot: number): string {
    const { n, nParams, nConstants } = this;
    if (slot < n) return `y[${slot}]`;
    if (slot < n + nParams) return `p[${slot - n}]`;
    if (slot < n + nParams + nConstants) return `c[${slot - n - nParams}]`;
    if (slot === this.time) return "t";
    return `v[${slot - this.time - 1}]`;
  }
}
