/**
 * The tabular reader's request and result (see `table.ts` for the format and the errors).
 *
 * Column types:
 * - `numeric`: finite decimal numbers (`parseNumber`).
 * - `categorical`: any non-empty text, kept as written (after trimming), with its `levels`
 *   (distinct values in `sortLevels` order). An empty field is refused unless `""` is an
 *   `na` token.
 * - `text`: any text, kept as written (after trimming), empty allowed; no levels. For
 *   columns carried through (an `id`) or used as group keys.
 */
export type ColumnType = "numeric" | "categorical" | "text";

export interface ColumnRequest {
  readonly name: string;
  readonly type: ColumnType;
}

export interface TableOptions {
  /** The columns to read, in the order wanted in `Table.columns`; at least one. */
  columns: readonly ColumnRequest[];
  /**
   * `"text"`: also read every other header column, as a text column, after the requested
   * ones in file order (header names may repeat among them). `na` never applies to them.
   */
  otherColumns?: "text";
  /** Tokens that mean "missing" (e.g. `["NA", ""]`); rows holding one in a requested column are dropped. */
  na?: readonly string[];
  /** One character, or `tab`/`\t`; default by file extension (`.tsv`/`.tab`: tab, otherwise comma). */
  delimiter?: string;
  /** An Excel workbook's sheet, by name; default the first. Only for `.xlsx` files. */
  sheet?: string;
}

interface ColumnBase {
  readonly name: string;
  /** 1-based field number in the file (the column of `file:line:column`). */
  readonly field: number;
}

export interface NumericColumn extends ColumnBase {
  readonly type: "numeric";
  readonly values: Float64Array;
}

export interface CategoricalColumn extends ColumnBase {
  readonly type: "categorical";
  readonly values: readonly string[];
  /** Distinct values in `sortLevels` order. */
  readonly levels: readonly string[];
}

export interface TextColumn extends ColumnBase {
  readonly type: "text";
  readonly values: readonly string[];
}

export type TableColumn = NumericColumn | CategoricalColumn | TextColumn;

export interface Table {
  /** The file (or the name given to `parseTable`), for messages. */
  readonly source: string;
  /** Rows kept. */
  readonly rows: number;
  readonly columns: readonly TableColumn[];
  /** The 1-based file line each kept row starts on. */
  readonly lines: Uint32Array;
  /** Rows dropped for a missing (`na`) value, and their first lines in file order. */
  readonly droppedRows: number;
  readonly droppedLines: readonly number[];
}
