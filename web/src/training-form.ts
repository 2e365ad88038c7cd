import { byId } from "./dom.js";
import { showError } from "./field-errors.js";

/**
 * The training settings: the model (linear, logistic or an MLP), epochs, the clip and its
 * threshold, the optimizer and its learning rate, as the `transform` of a training request
 * (the same JSON the CLI's --clip and --optimizer build).
 */
export interface TrainingSettings {
  task: "train-linear" | "train-network";
  model?: string;
  epochs: number;
  transform: {
    clip: { kind: string; threshold?: number };
    optimizer: { name: string; lr: number };
  };
}

export function readTraining(): TrainingSettings | null {
  const net = byId("net", HTMLSelectElement).value;
  const epochs = Number(byId("epochs", HTMLInputElement).value);
  const kind = byId("clip", HTMLSelectElement).value;
  const threshold = Number(byId("threshold", HTMLInputElement).value);
  const name = byId("optimizer", HTMLSelectElement).value;
  const lr = Number(byId("lr", HTMLInputElement).value);
  if (!Number.isInteger(epochs) || epochs < 1) {
    showError("epochs", "epochs: expected an integer >= 1");
    return null;
  }
  if (kind !== "none" && !(Number.isFinite(threshold) && threshold > 0)) {
    showError("clip", "clip: threshold: expected a number > 0");
    return null;
  }
  if (!(Number.isFinite(lr) && lr > 0)) {
    showError("optimizer", "optimizer: lr: expected a number > 0");
    return null;
  }
  return {
    task: net === "linear" ? "train-linear" : "train-network",
    ...(net === "linear" ? {} : { model: net }),
    epochs,
    transform: {
      clip: kind === "none" ? { kind } : { kind, threshold },
      optimizer: { name, lr },
    },
  };
}

/** A comma-separated list of numbers ("0.1, 1, 10"), or null after naming the bad entry. */
export function readNumberList(id: string, field: string, label: string): number[] | null {
  const text = byId(id, HTMLInputElement).value;
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const values = parts.map(Number);
  const bad = parts.find((_, i) => !(Number.isFinite(values[i]!) && values[i]! > 0));
  if (parts.length === 0 || bad !== undefined) {
    showError(
      field,
      `${label}: expected numbers > 0 separated by commas${bad === undefined ? "" : `, got "${bad}"`}`,
    );
    return null;
  }
  return values;
}
