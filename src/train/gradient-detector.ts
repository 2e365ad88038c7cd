import type { Layout } from "../core/layout.js";
import type { DetectorState, DiagnosticsOptions, TrainingWarning } from "./diagnostics.js";

/** The numbers of an epoch `observeEpoch` reads (an `EpochRecord` has them). */
export interface EpochNumbers {
  epoch: number;
  loss: number;
  gradNorm: number;
  clipFraction: number;
  threshold: number;
}

/** How much the loss must drop below the first epoch's before small gradients mean "converged". */
const CONVERGED_DROP = 0.01;

/**
 * The last epochs as someone else already keeps them (the trainer's history holds each
 * epoch's gradient norm, clip fraction and per-tensor norms anyway): `back` 0 is the epoch
 * added last. What the detector would otherwise copy into its own rings every epoch.
 */
export interface RecentEpochs {
  /** How many of the last epochs are kept in full, at least (the history's tail). */
  readonly tailSize: number;
  recentNorm(back: number): number;
  recentClipFraction(back: number): number;
  recentTensor(back: number, j: number): number;
}

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
  // Null while `source` keeps the epochs instead (or until the first epoch).
  private rings: number[] | null = null;
  /** Where the window is read when the detector keeps no rings (see `readWindowFrom`). */
  private source: RecentEpochs | null = null;
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
    this.raised = initial ? [...initial.raised] : [];
    this.raisedExploding = this.raised.includes("exploding");
    this.raisedVanishing = this.raised.includes("vanishing");
    this.raisedNonFinite = this.raised.includes("non-finite-loss");
    this.small = initial?.small ?? 0;
    this.firstLoss = initial?.firstLoss ?? Number.NaN;
    // A saved state may hold a longer window than this run's: keep its last `window` epochs.
    for (const r of initial?.recent ?? []) this.remember(r.norm, r.tensors, r.clipFraction);
  }

  /**
   * Reads the window from `source` (the trainer's history, which gets each epoch right after
   * the detector has seen it) instead of copying every epoch into rings of its own: on an
   * epoch that cannot warn, `observe` then only counts it and updates the smallest norm.
   * Only before the first epoch and with a source that keeps at least `window` epochs;
   * returns whether it switched. The warnings, their epochs and the state are the same: the
   * source holds exactly the numbers the rings would.
   */
  readWindowFrom(source: RecentEpochs): boolean {
    if (this.count > 0 || this.rings !== null || source.tailSize < this.window) return false;
    this.source = source;
    return true;
  }

  private ringArray(): number[] {
    // (NaN, a double: the array holds unboxed doubles from the start.)
    this.rings ??= new Array<number>(this.window * (2 + this.t)).fill(Number.NaN);
    return this.rings;
  }

  private remember(norm: number, tensors: ArrayLike<number>, clipFraction: number): void {
    const window = this.window;
    if (this.source !== null) {
      // The source gets this epoch next: only the count and the lower bound change here.
      if (norm < this.lowest) this.lowest = norm;
      if (this.count < window) this.count++;
      return;
    }
    let slot: number;
    if (this.count < window) {
      slot = this.head + this.count++;
      if (slot >= window) slot -= window;
    } else {
      slot = this.head;
      this.head = slot + 1 === window ? 0 : slot + 1;
    }
    const rings = this.ringArray();
    rings[slot] = norm;
    if (norm < this.lowest) this.lowest = norm;
    rings[window + slot] = clipFraction;
    const t = this.t;
    const at = 2 * window + slot * t;
    for (let j = 0; j < t; j++) rings[at + j] = tensors[j]!;
  }

  // The window by age: `i` 0 is the oldest of the `count` remembered epochs.
  private normAt(i: number): number {
    if (this.source !== null) return this.source.recentNorm(this.count - 1 - i);
    return this.ringArray()[(this.head + i) % this.window]!;
  }

  private clipFractionAt(i: number): number {
    if (this.source !== null) return this.source.recentClipFraction(this.count - 1 - i);
    return this.ringArray()[this.window + ((this.head + i) % this.window)]!;
  }

  /** The per-tensor norms of the `i`-th oldest remembered epoch (a copy). */
  private tensorsAt(i: number): number[] {
    const out: number[] = [];
    if (this.source !== null) {
      for (let j = 0; j < this.t; j++) out.push(this.source.recentTensor(this.count - 1 - i, j));
      return out;
    }
    const at = 2 * this.window + ((this.head + i) % this.window) * this.t;
    const rings = this.ringArray();
    for (let j = 0; j < this.t; j++) out.push(rings[at + j]!);
    return out;
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
    for (let i = 0; i < this.count; i++) fractions.push(this.clipFractionAt(i));
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
      recent.push({
        norm: this.normAt(i),
        tensors: Float64Array.from(this.tensorsAt(i)),
        clipFraction: this.clipFractionAt(i),
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

  /**
   * `observe` with the epoch's numbers read from `r` (its epoch, loss, gradNorm, clipFraction
   * and threshold): the plain loop's call. Object in, not numbers: should V8 not inline this,
   * numbers passed to a call would each be boxed (a heap allocation per number and epoch).
   * The same test as `observe`'s, written out here for that reason.
   */
  observeEpoch(r: EpochNumbers, tensors: Float64Array): TrainingWarning | null {
    const norm = r.gradNorm;
    const loss = r.loss;
    if (
      Number.isFinite(loss) &&
      !Number.isNaN(this.firstLoss) &&
      (this.raisedExploding || norm / this.lowest < this.factor)
    ) {
      const small = norm < this.eps ? this.small + 1 : 0;
      if (small < this.k || this.raisedVanishing) {
        this.small = small;
        this.remember(norm, tensors, r.clipFraction);
        return null;
      }
    }
    return this.observeFully(r.epoch, loss, norm, r.clipFraction, r.threshold, tensors);
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
    const count = this.count;
    // The smallest remembered norm is the reference for growth (NaN if the oldest is NaN:
    // nothing compares below NaN). Norms are never −0, so the minimum is one value.
    let baseNorm = this.normAt(0);
    for (let i = 1; i < count; i++) {
      const v = this.normAt(i);
      if (v < baseNorm) baseNorm = v;
    }
    if (!(baseNorm > 0 && norm / baseNorm >= this.factor)) return null;
    // Rare: the epoch of that norm (the oldest of equals) names the tensors that grew.
    let base = 0;
    for (let i = 0; i < count; i++) {
      if (this.normAt(i) === baseNorm) {
        base = i;
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
