import { InputError } from "../core/errors.js";
import { checkOptions } from "../core/options.js";
import type { Dataset } from "./dataset.js";
import { parseTable, readTable } from "./table.js";
import type { NumericColumn, Table, TableOptions } from "./table-types.js";

export { editDistance } from "./header.js";
export { parseNumber } from "./numbers.js";

/**
 * A numeric data set (features `x`, target `y`) read from a delimited text file or an Excel
 * workbook (`.xlsx`): a view of the tabular reader (`table.ts`, which describes the format
 * and the errors) with every chosen column numeric. A data row with a missing value (an `na` token) in any chosen
 * column is dropped as a whole (listwise deletion); `readDatasetWithReport` says how many
 * and which lines.
 */
export interface CsvOptions {
  /** Feature columns, in the order they take in `Dataset.x`; at least one. */
  x: readonly string[];
  /**
   * Target column; must not also be a feature. Omitted for prediction inputs: the data set's
   * `target` is then "" and its `y` empty.
   */
  y?: string;
  /** Tokens that mean "missing" (e.g. `["NA", "n/a", ""]`); rows holding one are dropped. */
  na?: readonly string[];
  /** One character, or `tab`/`\t`; default by file extension (`.tsv`/`.tab`: tab, otherwise comma). */
  delimiter?: string;
  /** An Excel workbook's sheet, by name; default the first. Only for `.xlsx` files. */
  sheet?: string;
}

export interface DatasetReport {
  dataset: Dataset;
  /** Data rows dropped because a chosen column held an `na` token. */
  droppedRows: number;
  /** The (1-based, first) file line of each dropped row, in file order. */
  droppedLines: number[];
}

/** Reads and parses `path` (see `table.ts` for the format and the errors). */
export function readDataset(path: string, options: CsvOptions): Dataset {
  return readDatasetWithReport(path, options).dataset;
}

/** As `readDataset`, also reporting the rows dropped for missing values. */
export function readDatasetWithReport(path: string, options: CsvOptions): DatasetReport {
  return toDataset(readTable(path, tableOptions("readDataset", path, options)), options);
}

/** Parses CSV/TSV `text` as if read from `source` (used in messages and for the default delimiter). */
export function parseDataset(text: string, source: string, options: CsvOptions): Dataset {
  return parseDatasetWithReport(text, source, options).dataset;
}

/** As `parseDataset`, also reporting the rows dropped for missing values. */
export function parseDatasetWithReport(
  text: string,
  source: string,
  options: CsvOptions,
): DatasetReport {
  return toDataset(
    parseTable(text, source, tableOptions("parseDataset", source, options)),
    options,
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * Checks the options and translates them into a table request. Wrong types (a library
 * caller's mistake) are reported by option name; empty or repeated column names, which a
 * command-line user can type, are reported as `--x`/`--y` input errors.
 */
function tableOptions(owner: string, source: string, options: CsvOptions): TableOptions {
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === "string");
  checkOptions(
    owner,
    options,
    {
      x: (v) =>
        isStrings(v) && (v as string[]).length > 0 ? null : "a non-empty list of column names",
      y: (v) => (typeof v === "string" ? null : "a column name"),
      na: (v) => (isStrings(v) ? null : "a list of strings"),
      delimiter: (v) => (typeof v === "string" ? null : "a string"),
      sheet: (v) => (typeof v === "string" ? null : "a sheet name"),
    },
    ["x"],
  );
  if (options.x.includes("")) throw new InputError("--x: expected column names, got an empty name");
  if (options.y === "") throw new InputError('--y: expected a column name, got ""');
  const seen = new Set<string>();
  for (const name of options.x) {
    if (seen.has(name)) {
      throw new InputError(`${source}: column "${name}" is listed twice as a feature (x)`);
    }
    seen.add(name);
  }
  if (options.y !== undefined && seen.has(options.y)) {
    throw new InputError(
      `${source}: column "${options.y}" is chosen both as a feature (x) and as the target (y)`,
    );
  }
  const names = options.y === undefined ? options.x : [...options.x, options.y];
  return {
    columns: names.map((name) => ({ name, type: "numeric" })),
    na: options.na,
    delimiter: options.delimiter,
    sheet: options.sheet,
  };
}

/** The table's columns (x…, then y) as a row-major data set. */
function toDataset(table: Table, options: CsvOptions): DatasetReport {
  const features = [...options.x];
  const p = features.length;
  const n = table.rows;
  const values = table.columns.map((c) => (c as NumericColumn).values);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const column = values[j]!;
    for (let i = 0; i < n; i++) x[i * p + j] = column[i]!;
  }
  const dataset: Dataset = {
    features,
    target: options.y ?? "",
    rows: n,
    x,
    y: options.y === undefined ? new Float64Array(0) : Float64Array.from(values[p]!),
    source: table.source,
  };
  return { dataset, droppedRows: table.droppedRows, droppedLines: [...table.droppedLines] };
}
