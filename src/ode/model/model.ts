/**
 * A compiled ODE model: what `loadOdeModel` / `compileOdeModel` return. The integrators see
 * only `system(θ)` (an OdeSystem with sensitivities, src/ode/types.ts); fits also use the
 * initial values, the observables and the noise, all with exact derivatives in θ.
 *
 * θ is the vector of FREE parameters, in the order of `parameters.free` (the order of the
 * model file's `parameters` with fixed ones left out). Fixed parameters keep their value.
 */
import type { Discontinuity, SensitivitySystem } from "../types.js";

export interface OdeParameter {
  readonly name: string;
  /** Start value (after --start / --fix overrides). */
  readonly start: number;
  readonly lower: number;
  readonly upper: number;
  readonly fixed: boolean;
}

export interface OdeParameters {
  /** Every parameter of the model file, in its order (fixed ones included). */
  readonly all: readonly OdeParameter[];
  /** Names of the free parameters: the order of θ. */
  readonly free: readonly string[];
  /** Start values of the free parameters, in the order of θ. */
  readonly start: Float64Array;
  /** Bounds of the free parameters, in the order of θ (±Infinity when open). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** σ of one observable: a number, or the free parameter θ[index] (fitted). */
export type NoiseSource =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "parameter"; readonly name: string; readonly index: number };

export interface OdeModel {
  /** The file name (or source label) that messages start with. */
  readonly source: string;
  readonly states: readonly string[];
  readonly parameters: OdeParameters;
  /** Constant values (after --const overrides), without condition overrides. */
  readonly constants: Readonly<Record<string, number>>;
  /** Observable names = data columns they are compared with, in the file's order. */
  readonly observables: readonly string[];
  readonly t0: number;
  /** Data column naming the experimental condition, or null when there is one condition. */
  readonly conditionColumn: string | null;
  /** Names of the conditions (empty when there is one). */
  readonly conditions: readonly string[];
  /** How σ of each observable is given (default: the value 1). */
  readonly noiseSources: readonly NoiseSource[];
  /** Whether any equation uses `t` explicitly. */
  readonly timeDependent: boolean;

  /** The right-hand side with sensitivities w.r.t. θ at these parameter values. */
  system(theta: Float64Array, condition?: string): SensitivitySystem;
  /** y0 (n) and S0 = ∂y0/∂θ (n×np, row-major). */
  initial(theta: Float64Array, condition?: string): { y0: Float64Array; S0: Float64Array };
  /**
   * out[m] ← h_m(t, y, θ); when S and dOut are given, dOut ← dh/dθ (m×np, row-major)
   * = ∂h/∂y·S + ∂h/∂θ (S is n×np at this time).
   */
  observe(
    t: number,
    y: Float64Array,
    S: Float64Array | null,
    theta: Float64Array,
    out: Float64Array,
    dOut: Float64Array | null,
    condition?: string,
  ): void;
  /** σ per observable at θ (for a parameter source, σ = θ[index]). */
  noise(theta: Float64Array, condition?: string): Float64Array;
  /** The dosing events at θ, in time order, with sensitivity updates ∂A/∂θ. */
  discontinuities(theta: Float64Array, condition?: string): Discontinuity[];
  /**
   * Checks that every observable names a data column (and the condition column exists);
   * throws one InputError naming the observable's place in the model file otherwise.
   */
  checkObservablesAgainst(columns: readonly string[]): void;
}

/** Command-line overrides of the model file (`--start`, `--const`, `--bounds`, `--fix`). */
export interface OdeModelOverrides {
  readonly start?: Readonly<Record<string, number>>;
  readonly const?: Readonly<Record<string, number>>;
  readonly bounds?: Readonly<Record<string, { lower: number; upper: number }>>;
  /** Fix these parameters at these values. */
  readonly fix?: Readonly<Record<string, number>>;
}
