import type { Layout } from "../core/layout.js";
import type { DetectorState, DiagnosticsOptions, TrainingWarning } from "./diagnostics.js";

/** How much the loss must drop below the first epoch's before small gradients mean "converged". */
const CONVERGED_DROP = 0.01;

/**
 * The detector as a class, not a closure: `observe` runs once per epoch of every train()
 * call, and a closure made afresh per call runs as generic code reading its variables from
 * a context (≈70 ns per epoch measured, against a few ns for this class's fields).
 */
export class GradientDetector {
  private readonly factor: number;
  private readonly window: number;
  private readonly eps: number;
  private readonly k: number;
  private readonly names: string[];
  private readonly t: number;
  // The last `window` epochs on rings (oldest at `head`), in one plain array of doubles:
  // norms at [0, window), clip fractions at [window, 2·window), then `t` tensor norms per
  // slot. Not typed arrays: one over 64 bytes lives off the JS heap (a malloc and GC
  // bookkeeping per train() call), and each view on it is an object of its own.
  private readonly rings: number[];
  private count = 0;
  /** The smallest norm ever remembered (NaN never counts): a lower bound of the window's. */
  private lowest = Number.POSITIVE_INFINITY;
  private head = 0;
  private readonly raised: TrainingWarning["kind"][];
  // Raised kinds also as flags: `observe` must stay a few loads and stores.
  private raisedExploding: boolean;
  private raisedVanishing: boolean;
  private raisedNonFinite: boolean;
  private small: number;
  private firstLoss: number;

  constructor(layout: Layout, options: DiagnosticsOptions, initial?: DetectorState) {
    this.factor = options.explodeFactor ?? 1e3;
    this.window = options.window ?? 10;
    this.eps = options.vanishBelow ?? 1e-10;
    this.k = options.vanishEpochs ?? 5;
    this.names = layout.entries.map((e) => e.name);
    this.t = this.names.length;
    // (NaN, a double: the array holds unboxed doubles from the start.)
    this.rings = new Array<number>(this.window * (2 + this.t)).fill(Number.NaN);
    this.raised = initial ? [...initial.raised] : [];
    this.raisedExploding = this.raised.includes("exploding");
    this.raisedVanishing = this.raised.includes("vanishing");
    this.raisedNonFinite = this.raised.includes("non-finite-loss");
    this.small = initial?.small ?? 0;
    this.firstLoss = initial?.firstLoss ?? Number.NaN;
    // A saved state may hold a longer window than this run's: keep its last `window` epochs.
    for (const r of initial?.recent ?? []) this.remember(r.norm, r.tensors, r.clipFraction);
  }

  private remember(norm: number, tensors: ArrayLike<number>, clipFraction: number): void {
    const window = this.window;
    let slot: number;
    if (this.count < window) {
      slot = this.head + this.count++;
      if (slot >= window) slot -= window;
    } else {
      slot = this.head;
      this.head = slot + 1 === window ? 0 : slot + 1;
    }
    const rings = this.rings;
    rings[slot] = norm;
    if (norm < this.lowest) this.lowest = norm;
    rings[window + slot] = clipFraction;
    const t = this.t;
    const at = 2 * window + slot * t;
    for (let j = 0; j < t; j++) rings[at + j] = tensors[j]!;
  }

  /** The per-tensor norms remembered in `slot` (a copy). */
  private tensorsAt(slot: number): number[] {
    const at = 2 * this.window + slot * this.t;
    return this.rings.slice(at, at + this.t);
  }

  private top(score: (j: number) => number, many = 3): string[] {
    return this.names
      .map((name, j) => ({ name, s: score(j) }))
      .filter((e) => Number.isFinite(e.s))
      .sort((a, b) => b.s - a.s)
      .slice(0, many)
      .map((e) => e.name);
  }

  private advice(threshold: number, clipFraction: number): string {
    if (Number.isNaN(threshold)) {
      return "clip (e.g. --clip global-norm:1) or lower the learning rate";
    }
    const fractions: number[] = [];
    for (let i = 0; i < this.count; i++) {
      fractions.push(this.rings[this.window + ((this.head + i) % this.window)]!);
    }
    fractions.push(clipFraction);
    const binding = fractions.every((f) => f === 1)
      ? "at every step"
      : `in ${Math.round((100 * fractions.reduce((a, f) => a + f, 0)) / fractions.length)}% of the steps`;
    return (
      `the clip in the chain (threshold ${threshold.toPrecision(3)}) is binding ${binding}, ` +
      "so it only bounds each step: lower the learning rate or the clip threshold"
    );
  }

  /** A snapshot of what the detector remembers, for a checkpoint. */
  get state(): DetectorState {
    const recent: DetectorState["recent"] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.window;
      recent.push({
        norm: this.rings[slot]!,
        tensors: Float64Array.from(this.tensorsAt(slot)),
        clipFraction: this.rings[this.window + slot]!,
      });
    }
    return {
      recent,
      raised: [...this.raised],
      small: this.small,
      firstLoss: this.firstLoss,
    };
  }

  /**
   * One epoch: its index, mean loss, mean gradient norm (before any clip), fraction of steps
   * clipped, the clip's threshold (NaN without a clip) and the per-tensor norms of its last
   * step. Numbers, not a record object: this runs every epoch of every train() call, so the
   * common epoch (a finite loss, no growth possible, no vanishing streak to report) is a few
   * comparisons and stores here, small enough for V8 to inline into the trainer's loop, and
   * everything else is in `observeFully`.
   */
  observe(
    epoch: number,
    loss: number,
    norm: number,
    clipFraction: number,
    threshold: number,
    tensors: Float64Array,
  ): TrainingWarning | null {
    // Every remembered norm is >= `lowest`, so growth over the window is at most
    // norm / lowest (division rounds monotonically): below the factor, no scan is needed.
    if (
      Number.isFinite(loss) &&
      !Number.isNaN(this.firstLoss) &&
      (this.raisedExploding || norm / this.lowest < this.factor)
    ) {
      const small = norm < this.eps ? this.small + 1 : 0;
      if (small < this.k || this.raisedVanishing) {
        this.small = small;
        this.remember(norm, tensors, clipFraction);
        return null;
      }
    }
    return this.observeFully(epoch, loss, norm, clipFraction, threshold, tensors);
  }

  /** `observe` for an epoch that may raise a warning (or is the first). */
  private observeFully(
    epoch: number,
    loss: number,
    norm: number,
    clipFraction: number,
    threshold: number,
    tensors: Float64Array,
  ): TrainingWarning | null {
    let warning: TrainingWarning | null = null;
    if (Number.isNaN(this.firstLoss)) this.firstLoss = loss;
    if (!Number.isFinite(loss)) {
      if (!this.raisedNonFinite) {
        warning = {
          epoch,
          kind: "non-finite-loss",
          parameters: this.top((j) =>
            Number.isFinite(tensors[j]!) ? tensors[j]! : Number.MAX_VALUE,
          ),
          message: `the loss became ${loss} at epoch ${epoch}: training diverged`,
        };
      }
    } else if (
      Number.isFinite(norm) &&
      !this.raisedExploding &&
      this.count > 0 &&
      !(norm / this.lowest < this.factor) // see `observe`
    ) {
      warning = this.growth(epoch, norm, clipFraction, threshold, tensors);
    }
    const firstLoss = this.firstLoss;
    this.small = norm < this.eps ? this.small + 1 : 0;
    if (warning === null && this.small >= this.k && !this.raisedVanishing) {
      // A loss that fell from the first epoch's (or is exactly 0) has converged, not stalled.
      const stalled = loss !== 0 && !(loss < firstLoss - CONVERGED_DROP * Math.abs(firstLoss));
      if (stalled) {
        const parameters = this.top((j) => -tensors[j]!);
        warning = {
          epoch,
          kind: "vanishing",
          parameters,
          message:
            `gradients are vanishing: the gradient norm has stayed below ${this.eps} for ${this.k} epochs ` +
            `(smallest in ${parameters.join(", ")}) while the loss is ${loss.toPrecision(4)}, ` +
            `no lower than at the first epoch (${firstLoss.toPrecision(4)}); ` +
            "the model may be saturated or stuck on a plateau",
        };
      }
    }
    this.remember(norm, tensors, clipFraction);
    if (warning) {
      this.raised.push(warning.kind);
      if (warning.kind === "exploding") this.raisedExploding = true;
      else if (warning.kind === "vanishing") this.raisedVanishing = true;
      else this.raisedNonFinite = true;
    }
    return warning;
  }

  /** An "exploding" warning if `norm` grew `factor`-fold over the window, else null. */
  private growth(
    epoch: number,
    norm: number,
    clipFraction: number,
    threshold: number,
    tensors: Float64Array,
  ): TrainingWarning | null {
    const norms = this.rings; // (the norms are its first `window` entries)
    const count = this.count;
    // The smallest remembered norm is the reference for growth (NaN if the oldest is NaN,
    // as an age-ordered scan gives). Slots 0..count-1 are exactly the remembered ones
    // (head is 0 until the ring is full), so the scan needs no wrap-around.
    let baseNorm = norms[this.head]!;
    for (let i = 0; i < count; i++) if (norms[i]! < baseNorm) baseNorm = norms[i]!;
    if (!(baseNorm > 0 && norm / baseNorm >= this.factor)) return null;
    // Rare: the slot of that norm (the oldest of equals) names the tensors that grew.
    let base = this.head;
    for (let i = 0; i < count; i++) {
      const slot = (this.head + i) % this.window;
      if (norms[slot] === baseNorm) {
        base = slot;
        break;
      }
    }
    const then = this.tensorsAt(base);
    const parameters = this.top((j) => tensors[j]! / Math.max(then[j]!, 1e-300));
    return {
      epoch,
      kind: "exploding",
      parameters,
      message:
        `gradients are exploding: the gradient norm rose from ${baseNorm.toPrecision(3)} to ` +
        `${norm.toPrecision(3)} (×${(norm / baseNorm).toExponential(1)}) within ${this.window} epochs, ` +
        `most in ${parameters.join(", ")}; ${this.advice(threshold, clipFraction)}`,
    };
  }
}
