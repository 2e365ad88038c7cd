/**
 * A failed integration: the run cannot go on at these inputs (not a usage error, so a plain
 * `Error`, exit 1). The fit layer catches it and treats the trial parameters as a rejected
 * step; the CLI prints its one-line message.
 */
export type IntegrationFailure =
  | "step_limit"
  | "step_size_underflow"
  | "non_finite"
  | "singular_matrix"
  | "interrupted";

export class IntegrationError extends Error {
  readonly reason: IntegrationFailure;
  /** The time the integrator had reached. */
  readonly t: number;
  readonly solver: "dopri5" | "rodas";
  constructor(reason: IntegrationFailure, t: number, solver: "dopri5" | "rodas", message: string) {
    super(message);
    this.name = "IntegrationError";
    this.reason = reason;
    this.t = t;
    this.solver = solver;
  }
}

/** Short form of a time for messages: 32000 → "3.2e4", 0.5 → "0.5". */
export function formatTime(t: number): string {
  if (!Number.isFinite(t) || t === 0) return String(t);
  const a = Math.abs(t);
  if (a >= 1e4 || a < 1e-3) {
    const [mantissa, exponent] = t.toExponential(3).split("e");
    const m = mantissa!.replace(/\.?0+$/, "");
    return `${m}e${Number(exponent)}`;
  }
  return String(Number(t.toPrecision(4)));
}
