import { InputError } from "../../core/errors.js";
import { numberHint, parseNumber } from "../../data/numbers.js";
import { readTable, type Table, type TableColumn } from "../../data/table.js";

/**
 * Data for an ODE fit, wide: one row per time, one column per observable, empty cells where
 * an observable was not measured at that time. Times strictly increase (an integrator
 * marches forward; a repeated or earlier time is almost always a sorting or typing slip).
 */
export interface OdeData {
  /** The file (or label), for messages and results. */
  readonly source: string;
  readonly timeColumn: string;
  /** Observable names (= data columns), in the model's order. */
  readonly observables: readonly string[];
  /** One entry per row. */
  readonly times: Float64Array;
  /** rows × observables, row-major; NaN for an empty cell. */
  readonly values: Float64Array;
  /** The 1-based file line of each row. */
  readonly lines: Uint32Array;
}

export interface OdeDataOptions {
  readonly time: string;
  readonly observables: readonly string[];
  /** Tokens besides the empty cell that mean "not measured" (e.g. "NA"). */
  readonly na?: readonly string[];
  readonly delimiter?: string;
  readonly sheet?: string;
}

/** Reads the time column and the observables' columns of a CSV/TSV/xlsx file. */
export function readOdeData(path: string, options: OdeDataOptions): OdeData {
  const table = readTable(path, {
    columns: [
      { name: options.time, type: "numeric" },
      // Read as text: an empty cell is a missing observation of this observable only, not a
      // reason to drop the row (the reader's `na` drops whole rows).
      ...options.observables.map((name) => ({ name, type: "text" as const })),
    ],
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
  });
  return odeDataFromTable(table, options);
}

/** The wide data of a table read with the time column first, then the observables as text. */
export function odeDataFromTable(table: Table, options: OdeDataOptions): OdeData {
  const [timeColumn, ...observed] = table.columns;
  if (timeColumn?.type !== "numeric") {
    throw new InputError(`${table.source}: column "${options.time}" must be read as numbers`);
  }
  const rows = table.rows;
  const m = observed.length;
  const times = timeColumn.values;
  for (let i = 1; i < rows; i++) {
    if (!(times[i]! > times[i - 1]!)) {
      throw new InputError(
        `${table.source}:${table.lines[i]}:${timeColumn.field}: column "${options.time}": times must increase, got ${times[i]} after ${times[i - 1]}`,
      );
    }
  }
  const na = new Set(options.na ?? []);
  const values = new Float64Array(rows * m);
  observed.forEach((column, k) => {
    for (let i = 0; i < rows; i++) {
      values[i * m + k] = cellValue(table, column, i, na);
    }
  });
  let measured = 0;
  for (const v of values) if (!Number.isNaN(v)) measured++;
  if (measured === 0) {
    throw new InputError(
      `${table.source}: no measured values in ${options.observables.map((o) => `"${o}"`).join(", ")}`,
    );
  }
  return {
    source: table.source,
    timeColumn: options.time,
    observables: [...options.observables],
    times: Float64Array.from(times),
    values,
    lines: table.lines,
  };
}

function cellValue(table: Table, column: TableColumn, i: number, na: Set<string>): number {
  const raw = column.values[i];
  if (typeof raw !== "string") return raw ?? Number.NaN;
  const text = raw.trim();
  if (text === "" || na.has(text)) return Number.NaN;
  const value = parseNumber(text);
  if (value === undefined) {
    throw new InputError(
      `${table.source}:${table.lines[i]}:${column.field}: column "${column.name}": expected a number or an empty cell, got ${JSON.stringify(text)}${numberHint(text)}`,
    );
  }
  return value;
}

/** Refuses data that start before the model's t0 (the integrator starts there). */
export function checkTimesFrom(data: OdeData, t0: number, modelSource: string): void {
  if (data.times.length > 0 && data.times[0]! < t0) {
    throw new InputError(
      `${data.source}:${data.lines[0]}: column "${data.timeColumn}": the first time ${data.times[0]} is before the model's t0 = ${t0} (${modelSource})`,
    );
  }
}
