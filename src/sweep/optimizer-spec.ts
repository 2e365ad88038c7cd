import { InputError } from "../core/errors.js";
import { OPTIMIZER_NAMES, type OptimizerName, type OptimizerSetting } from "./spec.js";

/**
 * The sweep's `--optimizer`: the `train` spec without the rate, which comes from `--lr` —
 * `sgd`, `sgd,momentum=0.9,nesterov`, `adam,b1=0.8`, `adamw,weight-decay=0.01`. A rate in the
 * spec (`sgd:0.1`) is returned separately, for a single-rate sweep without --lr. The settings'
 * names and values are checked by the `train` spec parser (src/cli/specs.ts) before use.
 */
export interface OptimizerGridSpec {
  name: OptimizerName;
  /** The settings as written (`momentum=0.9`, `nesterov`), in order. */
  settings: string[];
  /** A learning rate written in the spec, if any. */
  lrInSpec?: string;
}

export function splitOptimizer(text: string): OptimizerGridSpec {
  const [head, ...settings] = text.split(",").map((s) => s.trim());
  const [name, lrInSpec] = head!.split(":");
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name!)) {
    throw new InputError(
      `--optimizer: unknown optimizer "${name}" (expected sgd, adam or adamw, with settings such as sgd,momentum=0.9; learning rates come from --lr)`,
    );
  }
  return { name: name as OptimizerName, settings, lrInSpec };
}

/** The `train` spec for one rate: `sgd:0.1,momentum=0.9`. */
export function trainSpecText(spec: OptimizerGridSpec, lr: number): string {
  return `${spec.name}:${lr}${spec.settings.map((s) => `,${s}`).join("")}`;
}

/** The run spec's optimizer for one rate (settings already checked). */
export function optimizerSetting(spec: OptimizerGridSpec, lr: number): OptimizerSetting {
  const o: OptimizerSetting = { name: spec.name, lr };
  for (const s of spec.settings) {
    const [k, v] = s.split("=");
    if (k === "nesterov") o.nesterov = true;
    else if (k === "momentum") o.momentum = Number(v);
    else if (k === "b1") o.b1 = Number(v);
    else if (k === "b2") o.b2 = Number(v);
    else if (k === "eps") o.eps = Number(v);
    else if (k === "weight-decay") o.weightDecay = Number(v);
  }
  return o;
}
