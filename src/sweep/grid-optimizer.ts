import { InputError } from "../core/errors.js";
import { OPTIMIZER_NAMES, type OptimizerSpec } from "../transforms/spec.js";
import { parseOptimizerText } from "../transforms/spec-text.js";
import { OPTIMIZER_GRID_FORMS } from "./defaults.js";

/**
 * The sweep's `--optimizer`: the `train --optimizer` grammar (src/transforms/spec-text.ts)
 * without the rate, which comes from `--lr` — `sgd`, `sgd,momentum=0.9,nesterov`,
 * `adam,b1=0.8`, `adamw,weight-decay=0.01`. A rate in the text (`sgd:0.1`) makes a
 * single-rate sweep without --lr.
 */
export interface OptimizerGrid {
  /** The text without a rate, for the plan line: `sgd,momentum=0.9`. */
  label: string;
  /** A learning rate written in the text, if any. */
  lrInText?: string;
  /** The optimizer spec at one rate (checked by the spec grammar, messages name --optimizer). */
  at(lr: number): OptimizerSpec;
}

export { OPTIMIZER_GRID_FORMS };

export function parseOptimizerGrid(text: string): OptimizerGrid {
  const [head, ...settings] = text.split(",").map((s) => s.trim());
  const [name, lrInText, ...rest] = head!.split(":");
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name!) || rest.length > 0) {
    throw new InputError(
      `--optimizer: unknown optimizer "${head}" (expected ${OPTIMIZER_GRID_FORMS}; learning rates come from --lr)`,
    );
  }
  return {
    label: [name, ...settings].join(","),
    lrInText,
    at: (lr) => parseOptimizerText([`${name}:${lr}`, ...settings].join(","), "--optimizer"),
  };
}
