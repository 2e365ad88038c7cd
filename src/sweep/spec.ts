import { createHash } from "node:crypto";
import type { NonFinitePolicy } from "../transforms/non-finite.js";

/**
 * A sweep run is a plain, JSON-serialisable description of one training or fitting job:
 * everything a worker needs to repeat it exactly, and nothing else (no functions, no
 * Infinity, no paths relative to a working directory). Its hash is the run key that the
 * journal deduplicates on, so two runs with the same spec are the same run.
 *
 * New kinds of run plug in as another member of `RunSpec` with its runner in `execute.ts`;
 * new models of `train` as another entry of `TRAIN_MODELS` in `run-train.ts`.
 */

export const CLIP_KINDS = ["value", "norm", "global-norm", "global-norm-inf"] as const;
export type ClipKind = (typeof CLIP_KINDS)[number];

/** The clip of a run: none (the unclipped baseline) or a kind with its threshold. */
export type ClipSetting = { kind: "none" } | { kind: ClipKind; threshold: number };

export const OPTIMIZER_NAMES = ["sgd", "adam", "adamw"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The optimizer of a run with its learning rate and settings (absent keys take defaults). */
export interface OptimizerSetting {
  name: OptimizerName;
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** The data a run reads: an absolute path, the file's SHA-256 (so edits change the key), columns. */
interface DataFields {
  file: string;
  fileSha256: string;
  x: string[];
  y: string;
  /** Tokens marking missing values (rows dropped), or null for none. */
  na: string[] | null;
  delimiter: string | null;
}

/** `biograd train` on a model: epochs of (mini-batch) steps through chain(clip, optimizer). */
export interface TrainRunSpec extends DataFields {
  command: "train";
  model: "linear";
  clip: ClipSetting;
  optimizer: OptimizerSetting;
  onNonFinite: NonFinitePolicy;
  epochs: number;
  /** Rows per step, or null for full batch. */
  batchSize: number | null;
  lossThreshold: number | null;
  seed: number;
}

/** A curve parameter: start value (before the seed's jitter), bounds (null = unbounded), fixed. */
export interface FitParameter {
  name: string;
  start: number;
  lower: number | null;
  upper: number | null;
  fixed: boolean;
}

/**
 * A curve fit's first-order phase alone (no Levenberg–Marquardt polish, so the clip's effect
 * shows): `steps` steps of chain(clip, optimizer) on the mean squared residual. Seed 0 starts
 * at the given values; seed s > 0 moves each free parameter's internal coordinate by
 * `startJitter`·N(0, 1) drawn from the seed (a poorer start, where clipping matters).
 */
export interface FitRunSpec extends DataFields {
  command: "fit";
  /** The model as a formula over `variables` (library models are resolved to theirs). */
  formula: string;
  variables: string[];
  constants: Record<string, number>;
  parameters: FitParameter[];
  clip: ClipSetting;
  optimizer: OptimizerSetting;
  onNonFinite: NonFinitePolicy;
  steps: number;
  lossThreshold: number | null;
  seed: number;
  startJitter: number;
}

export type RunSpec = TrainRunSpec | FitRunSpec;

/** JSON with object keys sorted at every level: the same spec always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`run spec: ${value} cannot be written as JSON; use null`);
  }
  return JSON.stringify(value);
}

/** The run key: the first 16 hex digits of SHA-256 over the spec's canonical JSON. */
export function runKey(spec: RunSpec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex").slice(0, 16);
}

/** `none`, `value:0.1`, `global-norm:10`: the clip as the --clip grid spells it. */
export function clipLabel(clip: ClipSetting): string {
  return clip.kind === "none" ? "none" : `${clip.kind}:${clip.threshold}`;
}
