import { readFileSync } from "node:fs";

/** The error `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

export const f64 = (values: readonly number[]) => Float64Array.from(values);

/** test/fixtures/sklearn/metrics-reference.json (made by make_metrics_reference.py). */
export interface MetricsReference {
  versions: Record<string, string>;
  regression: Record<
    string,
    { y_true: number[]; y_pred: number[]; rmse: number; mae: number; r2: number }
  >;
  binary: Record<
    string,
    {
      y_true: number[];
      score: number[];
      roc_auc: number;
      prob?: number[];
      eps?: number;
      log_loss?: number;
      log_loss_symmetric_clip?: number;
      clipped_negatives?: number;
      accuracy_threshold_0_5?: number;
    }
  >;
  multiclass: Record<
    string,
    {
      classes: number;
      y_true: number[];
      prob_row_major: number[];
      eps: number;
      log_loss: number;
      roc_auc_ovr_macro: number;
      roc_auc_ovr_per_class: number[];
      accuracy_argmax: number;
    }
  >;
}

export const reference: MetricsReference = JSON.parse(
  readFileSync("test/fixtures/sklearn/metrics-reference.json", "utf8"),
);

/** |a − b| ≤ tol·max(1, |b|). */
export function near(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
