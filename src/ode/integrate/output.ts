/** Something that can evaluate the solution inside the step it just took (dense output). */
export interface DenseOutput {
  /** out ← z(t) for t inside the last accepted step. */
  evaluate(t: number, out: Float64Array): void;
}

/**
 * Fills the result at the requested output times as the steps pass them. Times equal to a
 * segment end (a discontinuity or the last time) are written by the driver, after any jump
 * there, so an output at a dose time shows the state just after the dose.
 */
export class OutputWriter {
  readonly states: Float64Array;
  readonly sensitivities: Float64Array | undefined;
  private readonly times: Float64Array;
  private readonly n: number;
  private readonly nS: number;
  private readonly tmp: Float64Array;
  private next = 0;

  constructor(times: Float64Array, n: number, np: number, withSensitivities: boolean) {
    this.times = times;
    this.n = n;
    this.nS = withSensitivities ? n * np : 0;
    this.states = new Float64Array(times.length * n);
    this.sensitivities = withSensitivities ? new Float64Array(times.length * n * np) : undefined;
    this.tmp = new Float64Array(n + this.nS);
  }

  /** After a step to tNew inside a segment ending at segmentEnd: writes the times it passed. */
  afterStep(tNew: number, segmentEnd: number, z: Float64Array, dense: DenseOutput): void {
    const { times } = this;
    while (this.next < times.length) {
      const t = times[this.next]!;
      if (t > tNew || t >= segmentEnd) return;
      if (t === tNew) this.write(z);
      else {
        dense.evaluate(t, this.tmp);
        this.write(this.tmp);
      }
    }
  }

  /**
   * Whether the step to tNew passes an output time strictly inside it (the only case
   * `afterStep` evaluates the dense output): a stepper prepares its interpolant only then —
   * with a few output times and many steps (tight tolerances) most steps need none.
   */
  needsDense(tNew: number, segmentEnd: number): boolean {
    if (this.next >= this.times.length) return false;
    const t = this.times[this.next]!;
    return t < tNew && t < segmentEnd;
  }

  /** Writes every remaining output time equal to t (the integrator stands at t). */
  at(t: number, z: Float64Array): void {
    while (this.next < this.times.length && this.times[this.next] === t) this.write(z);
  }

  private write(z: Float64Array): void {
    const k = this.next++;
    const { n, nS } = this;
    for (let i = 0; i < n; i++) this.states[k * n + i] = z[i]!;
    const S = this.sensitivities;
    if (S) for (let i = 0; i < nS; i++) S[k * nS + i] = z[n + i]!;
  }
}
