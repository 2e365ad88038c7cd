/**
 * A numeric data set in memory: features in one row-major Float64Array (row i, feature j
 * at x[i·p + j]) and the target in another. Names keep the column order of the request.
 */
export interface Dataset {
  readonly features: readonly string[];
  /** The target column's name; "" when none was read (prediction inputs, `y` empty). */
  readonly target: string;
  readonly rows: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Where it came from, for messages and run files (a path, or "synthetic:seed"). */
  readonly source: string;
}
