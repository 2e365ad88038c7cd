import { InputError } from "../core/errors.js";
import type { Dataset } from "../data/dataset.js";
import {
  type ColumnRequest,
  type FeatureEncoder,
  fitFeatureEncoder,
  fitLabels,
  fitStandardizer,
  type LabelEncoder,
  readTable,
  type SplitFractions,
  type Standardizer,
  splitIndices,
  standardize,
  type Table,
  tableColumn,
  tableToDataset,
  takeRows,
} from "../prep/index.js";

/** How a table becomes the matrices a network trains on; saved with the model. */
export interface Preprocessing {
  /** Feature columns (numeric pass through, categorical one-hot) → feature names. */
  encoder: FeatureEncoder;
  /** Standardisation of the numeric features, fitted on the training rows only. */
  standardizer: Standardizer;
  /** Class labels (classification), or null (regression). */
  labels: LabelEncoder | null;
  /** The target column. */
  target: string;
  /**
   * Regression: the target is trained as (y − mean)/sd with the training rows' mean and sd
   * (population), so the output layer starts on the right scale; predictions and metrics
   * are reported in the original units. Null for classification.
   */
  targetScale: { mean: number; sd: number } | null;
}

export interface PrepareOptions {
  file: string;
  target: string;
  /** Feature columns; categorical ones listed in `categorical`. */
  features: readonly string[];
  categorical?: readonly string[];
  task: "regress" | "classify";
  /** Binary classification: the label of the positive class. */
  positive?: string;
  fractions?: SplitFractions;
  seed?: number;
  na?: readonly string[];
  delimiter?: string;
  sheet?: string;
}

export interface PreparedData {
  preprocessing: Preprocessing;
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  /** Rows read (after dropping rows with missing values, when `na` is given). */
  rows: number;
}

/**
 * Reads a table, encodes labels and features, splits the rows (seeded; stratified by class
 * for classification) and standardises the numeric features with means and standard
 * deviations of the TRAINING rows only, applied unchanged to validation and test rows.
 */
export function prepareData(options: PrepareOptions): PreparedData {
  const table = readTable(options.file, {
    columns: preparedColumns(options),
    na: options.na,
    delimiter: options.delimiter,
    sheet: options.sheet,
  });
  return prepareTable(table, options);
}

/** The columns `prepareData` reads: features (numeric or categorical), then the target. */
export function preparedColumns(options: Omit<PrepareOptions, "file">): ColumnRequest[] {
  const categorical = new Set(options.categorical ?? []);
  return [
    ...options.features.map((name) => ({
      name,
      type: categorical.has(name) ? ("categorical" as const) : ("numeric" as const),
    })),
    { name: options.target, type: options.task === "classify" ? "categorical" : "numeric" },
  ];
}

/** As `prepareData`, for a table already read (its columns as `preparedColumns` asks). */
export function prepareTable(table: Table, options: Omit<PrepareOptions, "file">): PreparedData {
  const labels =
    options.task === "classify" ? labelEncoder(table, options.target, options.positive) : null;
  const encoder = fitFeatureEncoder(table, options.features);
  const all = tableToDataset(table, encoder, labels ? { labels } : { column: options.target });
  const split = splitIndices(all.rows, {
    fractions: options.fractions,
    seed: options.seed,
    stratify: labels ? all.y : undefined,
  });
  const raw = {
    train: takeRows(all, split.train, "train"),
    validation: takeRows(all, split.validation, "validation"),
    test: takeRows(all, split.test, "test"),
  };
  const numeric = encoder.inputs.filter((i) => i.type === "numeric").map((i) => i.name);
  const standardizer = fitStandardizer(raw.train, { columns: numeric });
  const targetScale = labels ? null : meanAndSd(raw.train.y, options.target);
  const scaled = (d: Dataset): Dataset =>
    d.rows === 0
      ? d
      : {
          ...d,
          x: standardize(standardizer, d),
          y: targetScale ? d.y.map((v) => (v - targetScale.mean) / targetScale.sd) : d.y,
        };
  return {
    preprocessing: { encoder, standardizer, labels, target: options.target, targetScale },
    train: scaled(raw.train),
    validation: scaled(raw.validation),
    test: scaled(raw.test),
    rows: table.rows,
  };
}

function meanAndSd(y: Float64Array, column: string): { mean: number; sd: number } {
  let mean = 0;
  for (const v of y) mean += v / y.length;
  let ss = 0;
  for (const v of y) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / y.length);
  if (!(sd > 0)) {
    throw new InputError(
      `column "${column}": the target is constant in the training rows (${mean}); nothing to learn`,
    );
  }
  return { mean, sd };
}

function labelEncoder(table: Table, target: string, positive?: string): LabelEncoder {
  const column = tableColumn(table, target);
  const levels = column.type === "categorical" ? column.levels : [];
  return fitLabels(
    { name: target, levels },
    levels.length === 2 ? { task: "binary", positive } : { task: "multiclass" },
  );
}
