import type { Layout } from "../core/layout.js";
import { checkOptions, positive, positiveInteger } from "../core/options.js";
import type { EpochRecord } from "./history.js";

/** A plain-words warning about the gradients, raised once per kind and run. */
export interface TrainingWarning {
  epoch: number;
  kind: "exploding" | "vanishing" | "non-finite-loss";
  message: string;
  /** The parameter tensors most involved (largest growth, or smallest norms). */
  parameters: string[];
}

export interface DiagnosticsOptions {
  /** Warn when the gradient norm grows by this factor within `window` epochs (default 1e3). */
  explodeFactor?: number;
  /** Epochs the growth is measured over (default 10). */
  window?: number;
  /** Warn when the gradient norm stays below this for `vanishEpochs` epochs (default 1e-10). */
  vanishBelow?: number;
  vanishEpochs?: number;
}

/** What the detector remembers between epochs (plain data, saved in checkpoints). */
export interface DetectorState {
  /** The last `window` epochs: global norm, per-tensor norms, fraction of steps clipped. */
  recent: { norm: number; tensors: Float64Array; clipFraction: number }[];
  raised: TrainingWarning["kind"][];
  /** Consecutive epochs with the gradient norm below `vanishBelow`. */
  small: number;
  /** The first epoch's loss (NaN before it): a loss that has not moved from it is stalled. */
  firstLoss: number;
}

export type Detector = ReturnType<typeof createDetector>;

/** How much the loss must drop below the first epoch's before small gradients mean "converged". */
const CONVERGED_DROP = 0.01;

/**
 * Watches each epoch's gradient norm (global, and per tensor at the epoch's last step) and
 * says in plain words when gradients explode (the norm rising by orders of magnitude, or a
 * non-finite loss) or vanish (the norm below ε for k epochs while the loss has not dropped
 * from the first epoch's by 1%: small gradients after the loss fell are a converged run, not
 * a stuck one), naming the tensors involved. When a clip in the chain is binding, the
 * exploding advice says so instead of suggesting the clip that is already there.
 */
export function createDetector(
  layout: Layout,
  options: DiagnosticsOptions = {},
  initial?: DetectorState,
) {
  checkOptions("diagnostics", options, {
    explodeFactor: positive,
    window: positiveInteger,
    vanishBelow: positive,
    vanishEpochs: positiveInteger,
  });
  const factor = options.explodeFactor ?? 1e3;
  const window = options.window ?? 10;
  const eps = options.vanishBelow ?? 1e-10;
  const k = options.vanishEpochs ?? 5;
  const names = layout.entries.map((e) => e.name);
  const t = names.length;
  // The last `window` epochs on rings (oldest at `head`), so observing allocates nothing.
  // One allocation for the three rings: a buffer over 64 bytes lives off the JS heap, and
  // each costs a malloc and garbage-collector bookkeeping in a call that lasts 0.3 ms.
  const rings = new Float64Array(window * (2 + t));
  const norms = rings.subarray(0, window);
  const clipFractions = rings.subarray(window, 2 * window);
  const tensorRing = rings.subarray(2 * window);
  let count = 0;
  let head = 0;
  const raised: TrainingWarning["kind"][] = initial ? [...initial.raised] : [];
  let small = initial?.small ?? 0;
  let firstLoss = initial?.firstLoss ?? Number.NaN;
  // Raised kinds as flags: `observe` runs every epoch and must stay a few stores.
  let raisedExploding = raised.includes("exploding");
  let raisedVanishing = raised.includes("vanishing");
  let raisedNonFinite = raised.includes("non-finite-loss");
  const remember = (norm: number, tensors: ArrayLike<number>, clipFraction: number) => {
    let slot: number;
    if (count < window) {
      slot = head + count++;
      if (slot >= window) slot -= window;
    } else {
      slot = head;
      head = head + 1 === window ? 0 : head + 1;
    }
    norms[slot] = norm;
    clipFractions[slot] = clipFraction;
    for (let j = 0; j < t; j++) tensorRing[slot * t + j] = tensors[j]!;
  };
  // A saved state may hold a longer window than this run's: keep its last `window` epochs.
  for (const r of initial?.recent ?? []) remember(r.norm, r.tensors, r.clipFraction);

  const top = (score: (j: number) => number, many = 3): string[] =>
    names
      .map((name, j) => ({ name, s: score(j) }))
      .filter((e) => Number.isFinite(e.s))
      .sort((a, b) => b.s - a.s)
      .slice(0, many)
      .map((e) => e.name);

  const advice = (record: EpochRecord): string => {
    if (Number.isNaN(record.threshold)) {
      return "clip (e.g. --clip global-norm:1) or lower the learning rate";
    }
    const fractions: number[] = [];
    for (let i = 0; i < count; i++) fractions.push(clipFractions[(head + i) % window]!);
    fractions.push(record.clipFraction);
    const binding = fractions.every((f) => f === 1)
      ? "at every step"
      : `in ${Math.round((100 * fractions.reduce((a, f) => a + f, 0)) / fractions.length)}% of the steps`;
    return (
      `the clip in the chain (threshold ${record.threshold.toPrecision(3)}) is binding ${binding}, ` +
      "so it only bounds each step: lower the learning rate or the clip threshold"
    );
  };

  return {
    /** A snapshot of what the detector remembers, for a checkpoint. */
    get state(): DetectorState {
      const recent: DetectorState["recent"] = [];
      for (let i = 0; i < count; i++) {
        const slot = (head + i) % window;
        recent.push({
          norm: norms[slot]!,
          tensors: tensorRing.slice(slot * t, slot * t + t),
          clipFraction: clipFractions[slot]!,
        });
      }
      return { recent, raised: [...raised], small, firstLoss };
    },
    observe(record: EpochRecord, tensors: Float64Array): TrainingWarning | null {
      let warning: TrainingWarning | null = null;
      const norm = record.gradNorm;
      if (Number.isNaN(firstLoss)) firstLoss = record.loss;
      if (!Number.isFinite(record.loss) && !raisedNonFinite) {
        warning = {
          epoch: record.epoch,
          kind: "non-finite-loss",
          parameters: top((j) => (Number.isFinite(tensors[j]!) ? tensors[j]! : Number.MAX_VALUE)),
          message: `the loss became ${record.loss} at epoch ${record.epoch}: training diverged`,
        };
      } else if (Number.isFinite(norm) && !raisedExploding && count > 0) {
        // The smallest remembered norm is the reference for growth (NaN if the oldest is NaN,
        // as an age-ordered scan gives). Slots 0..count-1 are exactly the remembered ones
        // (head is 0 until the ring is full), so the scan needs no wrap-around.
        let baseNorm = norms[head]!;
        for (let i = 0; i < count; i++) if (norms[i]! < baseNorm) baseNorm = norms[i]!;
        if (baseNorm > 0 && norm / baseNorm >= factor) {
          // Rare: the slot of that norm (the oldest of equals) names the tensors that grew.
          let base = head;
          for (let i = 0; i < count; i++) {
            const slot = (head + i) % window;
            if (norms[slot] === baseNorm) {
              base = slot;
              break;
            }
          }
          const parameters = top((j) => tensors[j]! / Math.max(tensorRing[base * t + j]!, 1e-300));
          warning = {
            epoch: record.epoch,
            kind: "exploding",
            parameters,
            message:
              `gradients are exploding: the gradient norm rose from ${baseNorm.toPrecision(3)} to ` +
              `${norm.toPrecision(3)} (×${(norm / baseNorm).toExponential(1)}) within ${window} epochs, ` +
              `most in ${parameters.join(", ")}; ${advice(record)}`,
          };
        }
      }
      small = norm < eps ? small + 1 : 0;
      // A loss that fell from the first epoch's (or is exactly 0) has converged, not stalled.
      const stalled =
        record.loss !== 0 && !(record.loss < firstLoss - CONVERGED_DROP * Math.abs(firstLoss));
      if (warning === null && small >= k && stalled && !raisedVanishing) {
        const parameters = top((j) => -tensors[j]!);
        warning = {
          epoch: record.epoch,
          kind: "vanishing",
          parameters,
          message:
            `gradients are vanishing: the gradient norm has stayed below ${eps} for ${k} epochs ` +
            `(smallest in ${parameters.join(", ")}) while the loss is ${record.loss.toPrecision(4)}, ` +
            `no lower than at the first epoch (${firstLoss.toPrecision(4)}); ` +
            "the model may be saturated or stuck on a plateau",
        };
      }
      remember(norm, tensors, record.clipFraction);
      if (warning) {
        raised.push(warning.kind);
        if (warning.kind === "exploding") raisedExploding = true;
        else if (warning.kind === "vanishing") raisedVanishing = true;
        else raisedNonFinite = true;
      }
      return warning;
    },
  };
}
