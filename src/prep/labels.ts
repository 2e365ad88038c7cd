import { InputError, OptionError } from "../core/errors.js";
import { checkOptions, oneOf } from "../core/options.js";
import { levelIndices, listLevels, quoteLevel, type ValueLocation } from "../data/levels.js";
import { parseNumber } from "../data/numbers.js";

/**
 * Class labels for classification: a label column read as categories (strings such as
 * `M`/`B`, or integers such as `1`/`2`/`3`) becomes class indices 0..K−1, with the level
 * names kept (and saved with the model) so predictions can be reported as labels.
 *
 * Class i is `levels[i]`, levels in `sortLevels` order (numeric if every level is a number,
 * otherwise by code unit). For a binary task:
 * - there must be exactly two levels (one level, or three or more, is an error);
 * - class 1 is the positive class. By default it is the second level in order (`"1"` of
 *   0/1, `"M"` of B/M, `"yes"` of no/yes); `positive` names it explicitly (`"case"` of
 *   case/control, which would otherwise be class 0);
 * - numeric labels other than 0 and 1 (e.g. 1/2 or −1/1) need `positive`: which number
 *   means "positive" is not something to guess.
 * For a multiclass task there must be at least two levels.
 */
export type LabelTask = "binary" | "multiclass";

export interface LabelEncoder {
  readonly column: string;
  readonly task: LabelTask;
  /** Class i's label. Binary: `[negative, positive]`. */
  readonly levels: readonly string[];
}

export interface LabelOptions {
  task: LabelTask;
  /** Binary only: the label of the positive class (class 1). */
  positive?: string;
}

/** The label encoder for a column with these levels (a table column's `levels`). */
export function fitLabels(
  column: { readonly name: string; readonly levels: readonly string[] },
  options: LabelOptions,
): LabelEncoder {
  checkOptions(
    "fitLabels",
    options,
    {
      task: oneOf("binary", "multiclass"),
      positive: (v) => (typeof v === "string" && v !== "" ? null : "a label (a non-empty string)"),
    },
    ["task"],
  );
  const { name, levels } = column;
  const found = `found ${levels.length === 1 ? "only" : `${levels.length}:`} ${listLevels(levels)}`;
  if (levels.length < 2) {
    throw new InputError(
      `column "${name}": a classification task needs at least two classes, ${found} (every row has the same label)`,
    );
  }
  if (options.task === "multiclass") {
    if (options.positive !== undefined) {
      throw new OptionError(
        "fitLabels",
        "positive",
        options.positive,
        "unset for a multiclass task",
      );
    }
    return { column: name, task: "multiclass", levels: [...levels] };
  }
  if (levels.length !== 2) {
    throw new InputError(
      `column "${name}": a binary task needs exactly two classes, ${found}; use task "multiclass" or correct the labels`,
    );
  }
  const [a, b] = levels as [string, string];
  if (options.positive !== undefined) {
    if (options.positive !== a && options.positive !== b) {
      throw new InputError(
        `column "${name}": the positive class ${quoteLevel(options.positive)} is not one of the labels ${listLevels(levels)}`,
      );
    }
    const negative = options.positive === a ? b : a;
    return { column: name, task: "binary", levels: [negative, options.positive] };
  }
  const na = parseNumber(a);
  const nb = parseNumber(b);
  if (na !== undefined && nb !== undefined && !(na === 0 && nb === 1)) {
    throw new InputError(
      `column "${name}": binary labels ${listLevels(levels)} are numbers other than 0 and 1; say which is the positive class (positive: ${quoteLevel(b)})`,
    );
  }
  return { column: name, task: "binary", levels: [a, b] };
}

/**
 * Class indices (0..K−1, as doubles, ready for `Dataset.y`) of `values`; a label the
 * encoder does not know is an InputError naming the column, the value and the known labels,
 * located by `where` when given.
 */
export function encodeLabels(
  encoder: LabelEncoder,
  values: readonly string[],
  where?: ValueLocation,
): Float64Array {
  return Float64Array.from(levelIndices(values, encoder.levels, encoder.column, "label", where));
}

/** The labels of class indices (e.g. predicted classes). */
export function decodeLabels(encoder: LabelEncoder, classes: ArrayLike<number>): string[] {
  return Array.from(classes, (k, i) => {
    const label = Number.isInteger(k) ? encoder.levels[k] : undefined;
    if (label === undefined) {
      throw new RangeError(
        `decodeLabels: classes[${i}] = ${k} is not a class index in 0..${encoder.levels.length - 1}`,
      );
    }
    return label;
  });
}
