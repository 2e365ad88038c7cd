import { OptionError } from "../core/errors.js";
import {
  boolean,
  type Checker,
  checkOptions,
  nonNegative,
  positive,
  unitInterval,
} from "../core/options.js";
import { describeAdam, describeSgd } from "./fused-registry.js";
import { type LearningRate, toSchedule } from "./schedules.js";
import type { Transform } from "./types.js";

const lrChecker: Checker = (v) =>
  typeof v === "function" || positive(v) === null ? null : "a finite number > 0 or a schedule";

const ADAM_CHECKERS = { lr: lrChecker, b1: unitInterval, b2: unitInterval, eps: positive };

export interface SgdOptions {
  lr: LearningRate;
  /** Heavy-ball momentum μ in [0, 1) (default 0). */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0). */
  nesterov?: boolean;
}

export interface SgdState {
  count: number;
  /** Momentum buffer (empty without momentum). */
  velocity: Float64Array;
}

/**
 * Stochastic gradient descent, as PyTorch's `SGD` (dampening 0):
 *   v ← μ·v + g;   d = g + μ·v (Nesterov) or v;   update = −η_t·d.
 * With μ = 0 this is the seed's θ ← θ − η·g.
 */
export function sgd(options: SgdOptions): Transform<SgdState> {
  checkOptions("sgd", options, { lr: lrChecker, momentum: unitInterval, nesterov: boolean }, [
    "lr",
  ]);
  const schedule = toSchedule("sgd", options.lr);
  const mu = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  if (nesterov && mu === 0)
    throw new OptionError("sgd", "momentum", mu, "> 0 when nesterov is true");
  const transform: Transform<SgdState> = {
    name: `sgd(${typeof options.lr === "number" ? options.lr : "schedule"}${mu ? `, momentum ${mu}` : ""}${nesterov ? ", nesterov" : ""})`,
    init: (layout) => ({ count: 0, velocity: new Float64Array(mu > 0 ? layout.size : 0) }),
    update(grad, state, ctx) {
      const lr = schedule(state.count);
      state.count++;
      ctx.lr = lr;
      if (mu === 0) {
        for (let i = 0; i < grad.length; i++) grad[i] = -lr * grad[i]!;
        return;
      }
      const v = state.velocity;
      for (let i = 0; i < grad.length; i++) {
        const g = grad[i]!;
        const vi = mu * v[i]! + g;
        v[i] = vi;
        grad[i] = -lr * (nesterov ? g + mu * vi : vi);
      }
    },
  };
  return mu === 0 ? describeSgd(transform, { schedule }) : transform;
}

export interface AdamOptions {
  lr: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
}

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 0.01, as PyTorch's AdamW). */
  weightDecay?: number;
}

export interface AdamState {
  count: number;
  m: Float64Array;
  v: Float64Array;
}

/**
 * Adam (Kingma & Ba 2015), as PyTorch's `Adam`:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);
 *   update = −η_t · m̂/(sqrt(v̂) + ε).
 * Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8.
 */
export function adam(options: AdamOptions): Transform<AdamState> {
  return adamFamily("adam", options, 0);
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay,
 *   update = −η_t · (m̂/(sqrt(v̂) + ε) + λ·θ)   (PyTorch's θ ← θ(1 − ηλ) then the Adam step).
 */
export function adamw(options: AdamWOptions): Transform<AdamState> {
  // Checked whole first, so an unknown key lists weightDecay among the known options.
  checkOptions("adamw", options, { ...ADAM_CHECKERS, weightDecay: nonNegative }, ["lr"]);
  const { weightDecay, ...rest } = options;
  return adamFamily("adamw", rest, weightDecay ?? 0.01);
}

function adamFamily(owner: string, options: AdamOptions, wd: number): Transform<AdamState> {
  checkOptions(owner, options, ADAM_CHECKERS, ["lr"]);
  const schedule = toSchedule(owner, options.lr);
  const b1 = options.b1 ?? 0.9;
  const b2 = options.b2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  // Described for chain's fusion with a preceding global-norm clip (fused-clip-adam.ts),
  // whose pass must compute the update with exactly this loop's expressions.
  const transform: Transform<AdamState> = {
    name: `${owner}(${typeof options.lr === "number" ? options.lr : "schedule"})`,
    init: (layout) => ({
      count: 0,
      m: new Float64Array(layout.size),
      v: new Float64Array(layout.size),
    }),
    update(grad, state, ctx) {
      const lr = schedule(state.count);
      state.count++;
      ctx.lr = lr;
      const t = state.count;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      const { m, v } = state;
      const params = ctx.params;
      for (let i = 0; i < grad.length; i++) {
        const g = grad[i]!;
        const mi = b1 * m[i]! + (1 - b1) * g;
        const vi = b2 * v[i]! + (1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        grad[i] = -lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + wd * params[i]!);
      }
    },
  };
  return describeAdam(transform, { schedule, b1, b2, eps, wd });
}
