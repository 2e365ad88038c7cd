import { OptionError } from "../core/errors.js";
import { checkOptions, oneOf } from "../core/options.js";
import { levelIndices, type ValueLocation } from "../data/levels.js";

/**
 * One-hot encoding of a categorical column: level k of K becomes the indicator vector e_k.
 *
 * - `drop: "none"` (default): K output columns, one per level — what a neural network wants.
 * - `drop: "first"`: K − 1 columns, the first level is the all-zero baseline — for models
 *   with an intercept and no penalty (e.g. logistic regression), where K indicator columns
 *   plus the intercept are collinear and the coefficients are not identifiable.
 *
 * Output columns are named `column=level` (e.g. `tissue=liver`), in level order. The levels
 * are fixed when the encoder is fitted and saved with the model; a value outside them at
 * predict time is an error naming the column, the value and the known levels (never a
 * silent all-zero row).
 */
export type DropLevel = "none" | "first";

export interface OneHotEncoder {
  readonly column: string;
  /** The levels, in `sortLevels` order (as the table reader gives them). */
  readonly levels: readonly string[];
  readonly drop: DropLevel;
}

export interface OneHotOptions {
  /** `"none"` (default) or `"first"`. */
  drop?: DropLevel;
}

/** The encoder for a column with these levels (a table column's `levels`). */
export function fitOneHot(
  column: { readonly name: string; readonly levels: readonly string[] },
  options: OneHotOptions = {},
): OneHotEncoder {
  checkOptions("fitOneHot", options, { drop: oneOf("none", "first") });
  const drop = options.drop ?? "none";
  if (column.levels.length === 0) {
    throw new OptionError("fitOneHot", "levels", column.levels, "a non-empty list of levels");
  }
  return { column: column.name, levels: [...column.levels], drop };
}

/** The output columns' names: `column=level` for each level kept. */
export function oneHotNames(encoder: OneHotEncoder): string[] {
  const kept = encoder.drop === "first" ? encoder.levels.slice(1) : encoder.levels;
  return kept.map((level) => `${encoder.column}=${level}`);
}

/** Number of output columns: K, or K − 1 with `drop: "first"`. */
export function oneHotWidth(encoder: OneHotEncoder): number {
  return encoder.levels.length - (encoder.drop === "first" ? 1 : 0);
}

/**
 * The indicator matrix of `values`, row-major (`values.length` × `oneHotWidth`). An unknown
 * value is an InputError located by `where` (file, lines, field) when given:
 *   new.csv:5:3: column "tissue": unknown level "kidney" (known levels: "brain", "liver"); …
 */
export function encodeOneHot(
  encoder: OneHotEncoder,
  values: readonly string[],
  where?: ValueLocation,
): Float64Array {
  const index = levelIndices(values, encoder.levels, encoder.column, "level", where);
  const width = oneHotWidth(encoder);
  const shift = encoder.drop === "first" ? 1 : 0;
  const out = new Float64Array(values.length * width);
  for (let i = 0; i < index.length; i++) {
    const j = index[i]! - shift;
    if (j >= 0) out[i * width + j] = 1;
  }
  return out;
}
