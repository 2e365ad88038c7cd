import { InputError } from "../core/errors.js";
import { checkOptions, oneOf } from "../core/options.js";
import type { Dataset } from "../data/dataset.js";
import { type Table, type TableColumn, tableColumn } from "../data/table.js";
import { encodeLabels, type LabelEncoder } from "./labels.js";
import {
  type DropLevel,
  encodeOneHot,
  fitOneHot,
  type OneHotEncoder,
  oneHotNames,
  oneHotWidth,
} from "./one-hot.js";

/**
 * From a table of numeric and categorical columns to the numeric feature matrix a model
 * trains on: numeric columns pass through, categorical ones are one-hot encoded (with
 * their levels fixed at fitting). The encoder is plain data — `JSON.stringify` it to save
 * it with a model, `featureEncoderFromJSON` to load and check it.
 */
export type FeatureInput =
  | { readonly name: string; readonly type: "numeric" }
  | {
      readonly name: string;
      readonly type: "categorical";
      readonly levels: readonly string[];
      readonly drop: DropLevel;
    };

export interface FeatureEncoder {
  /** The table columns used, in order. */
  readonly inputs: readonly FeatureInput[];
  /** The output feature names (numeric columns by name, one-hot columns as `column=level`). */
  readonly features: readonly string[];
}

export interface FeatureEncoderOptions {
  /** How categorical columns drop a level (see `one-hot.ts`); default `"none"`. */
  drop?: DropLevel;
}

/** The encoder for `columns` of `table` (categorical levels are the table's levels). */
export function fitFeatureEncoder(
  table: Table,
  columns: readonly string[],
  options: FeatureEncoderOptions = {},
): FeatureEncoder {
  checkOptions("fitFeatureEncoder", options, { drop: oneOf("none", "first") });
  const inputs = columns.map((name): FeatureInput => {
    const column = tableColumn(table, name);
    if (column.type === "numeric") return { name, type: "numeric" };
    if (column.type === "text") {
      throw new InputError(
        `${table.source}: column "${name}" was read as text; read a feature as numeric or categorical`,
      );
    }
    const { levels, drop } = fitOneHot(column, { drop: options.drop ?? "none" });
    return { name, type: "categorical", levels, drop };
  });
  return makeEncoder(inputs);
}

/** The feature matrix (row-major, `rows` × `features.length`) of `table`. */
export function encodeFeatures(
  encoder: FeatureEncoder,
  table: Table,
): { features: string[]; rows: number; x: Float64Array } {
  const p = encoder.features.length;
  const x = new Float64Array(table.rows * p);
  let offset = 0;
  for (const input of encoder.inputs) {
    const column = tableColumn(table, input.name);
    checkType(input, column, table.source);
    if (column.type === "numeric") {
      for (let i = 0; i < table.rows; i++) x[i * p + offset] = column.values[i]!;
      offset += 1;
      continue;
    }
    const oneHot = oneHotOf(input as Extract<FeatureInput, { type: "categorical" }>);
    const width = oneHotWidth(oneHot);
    const block = encodeOneHot(oneHot, column.values, {
      source: table.source,
      lines: table.lines,
      field: column.field,
    });
    for (let i = 0; i < table.rows; i++) {
      for (let j = 0; j < width; j++) x[i * p + offset + j] = block[i * width + j]!;
    }
    offset += width;
  }
  return { features: [...encoder.features], rows: table.rows, x };
}

export interface TableTarget {
  /** Regression: a numeric column's name. */
  readonly column?: string;
  /** Classification: the label encoder (its column is read as labels → class indices). */
  readonly labels?: LabelEncoder;
}

/** A `Dataset` from a table: features by the encoder, `y` from the target (if any). */
export function tableToDataset(
  table: Table,
  encoder: FeatureEncoder,
  target: TableTarget = {},
): Dataset {
  const { features, rows, x } = encodeFeatures(encoder, table);
  let y: Float64Array = new Float64Array(0);
  let name = "";
  if (target.labels !== undefined) {
    const column = tableColumn(table, target.labels.column);
    if (column.type !== "categorical") {
      throw new InputError(
        `${table.source}: label column "${column.name}" must be read as categorical, not numeric`,
      );
    }
    name = column.name;
    y = encodeLabels(target.labels, column.values, {
      source: table.source,
      lines: table.lines,
      field: column.field,
    });
  } else if (target.column !== undefined) {
    const column = tableColumn(table, target.column);
    if (column.type !== "numeric") {
      throw new InputError(
        `${table.source}: target column "${column.name}" must be read as numeric for regression (for class labels, pass a label encoder)`,
      );
    }
    name = column.name;
    y = Float64Array.from(column.values);
  }
  return { features, target: name, rows, x, y, source: table.source };
}

/** Checks parsed JSON (e.g. a saved model's) and returns it as an encoder. */
export function featureEncoderFromJSON(json: unknown): FeatureEncoder {
  const bad = (what: string) => new InputError(`feature encoder JSON: ${what}`);
  const inputs = (json as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw bad("expected { inputs: [...], features: [...] } with at least one input");
  }
  const checked = inputs.map((input: unknown, i): FeatureInput => {
    const o = input as Record<string, unknown> | null;
    if (typeof o?.name !== "string" || o.name === "") throw bad(`inputs[${i}].name must be a name`);
    if (o.type === "numeric") return { name: o.name, type: "numeric" };
    if (o.type !== "categorical") {
      throw bad(`inputs[${i}].type must be "numeric" or "categorical"`);
    }
    const levels = o.levels;
    if (
      !Array.isArray(levels) ||
      levels.length === 0 ||
      !levels.every((l) => typeof l === "string") ||
      new Set(levels).size !== levels.length
    ) {
      throw bad(`inputs[${i}].levels must be a non-empty list of distinct strings`);
    }
    if (o.drop !== "none" && o.drop !== "first") {
      throw bad(`inputs[${i}].drop must be "none" or "first"`);
    }
    return { name: o.name, type: "categorical", levels: levels as string[], drop: o.drop };
  });
  const encoder = makeEncoder(checked);
  const features = (json as { features?: unknown }).features;
  if (features !== undefined && JSON.stringify(features) !== JSON.stringify(encoder.features)) {
    throw bad(
      `features ${JSON.stringify(features)} do not match the inputs' ${JSON.stringify(encoder.features)}`,
    );
  }
  return encoder;
}

// ---------------------------------------------------------------------------------------------

function makeEncoder(inputs: readonly FeatureInput[]): FeatureEncoder {
  const seen = new Set<string>();
  const features: string[] = [];
  for (const input of inputs) {
    if (seen.has(input.name))
      throw new InputError(`feature column "${input.name}" is listed twice`);
    seen.add(input.name);
    if (input.type === "numeric") features.push(input.name);
    else features.push(...oneHotNames(oneHotOf(input)));
  }
  return { inputs: [...inputs], features };
}

function oneHotOf(input: Extract<FeatureInput, { type: "categorical" }>): OneHotEncoder {
  return { column: input.name, levels: input.levels, drop: input.drop };
}

function checkType(input: FeatureInput, column: TableColumn, source: string): void {
  if (input.type !== column.type) {
    throw new InputError(
      `${source}: column "${input.name}" was fitted as ${input.type} but read as ${column.type}; read it as ${input.type}`,
    );
  }
}
