import { BiogradError } from "../../core/errors.js";
import { ACTIVATIONS, type ActivationName } from "../layers/activations.js";

/**
 * The architecture of a multilayer perceptron as a short string:
 *
 *   mlp:<h1>,<h2>,…[:<activation>]     e.g. "mlp:64,32:relu", "mlp:16:tanh", "mlp:8"
 *   mlp                                no hidden layer (a linear or logistic model)
 *
 * Hidden sizes are integers ≥ 1, applied in order from the input; the activation (default
 * relu) is one of relu, leaky-relu, tanh, sigmoid, gelu, softplus, identity and follows every
 * hidden layer. The output size is not part of the spec: the task decides it (1 for
 * regression and binary classification, K for K ≥ 3 classes).
 */
export interface MlpSpec {
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
}

export function parseMlpSpec(text: string): MlpSpec {
  const fail = (why: string): never => {
    throw new BiogradError(
      "invalid_option",
      `mlp spec ${JSON.stringify(text)}: ${why} (expected mlp:<sizes>[:<activation>], e.g. "mlp:64,32:relu")`,
    );
  };
  if (typeof text !== "string") fail("not a string");
  const parts = text.trim().split(":");
  if (parts[0] !== "mlp") fail(`starts with "${parts[0]}", not "mlp"`);
  if (parts.length > 3) fail("too many ':'-separated parts");
  const sizes = (parts[1] ?? "").trim();
  const hidden =
    sizes === ""
      ? []
      : sizes.split(",").map((s) => {
          const t = s.trim();
          const v = Number(t);
          if (!/^\d+$/.test(t) || !Number.isSafeInteger(v) || v < 1) {
            fail(`hidden size "${t}" must be an integer >= 1`);
          }
          return v;
        });
  const act = (parts[2] ?? "relu").trim();
  if (!(ACTIVATIONS as readonly string[]).includes(act)) {
    fail(`unknown activation "${act}" (one of ${ACTIVATIONS.join(", ")})`);
  }
  if (parts.length === 3 && hidden.length === 0)
    fail("an activation needs at least one hidden layer");
  return { hidden, activation: act as ActivationName };
}

/** The canonical string of a spec ("mlp:64,32:relu", or "mlp" without hidden layers). */
export function formatMlpSpec(spec: MlpSpec): string {
  return spec.hidden.length === 0 ? "mlp" : `mlp:${spec.hidden.join(",")}:${spec.activation}`;
}
