import { InputError } from "../core/errors.js";
import { sortLevels } from "./levels.js";
import type { Table, TableColumn } from "./table-types.js";

/** Looking up and selecting parts of a table read by `table.ts`. */

/** The column called `name`, or an InputError listing the table's columns. */
export function tableColumn(table: Table, name: string): TableColumn {
  const found = table.columns.find((c) => c.name === name);
  if (found === undefined) {
    const names = table.columns.map((c) => `"${c.name}"`).join(", ");
    throw new InputError(`${table.source}: no column "${name}" was read (read: ${names})`);
  }
  return found;
}

/** The rows `rows` (indices into the table, in that order) as a new table. */
export function takeTableRows(table: Table, rows: ArrayLike<number>): Table {
  const pick = Array.from(rows, (r) => {
    if (!Number.isInteger(r) || r < 0 || r >= table.rows) {
      throw new RangeError(`takeTableRows: row ${r} is outside 0..${table.rows - 1}`);
    }
    return r;
  });
  const columns = table.columns.map((c): TableColumn => {
    if (c.type === "numeric") {
      return { ...c, values: Float64Array.from(pick, (r) => c.values[r]!) };
    }
    const values = pick.map((r) => c.values[r]!);
    if (c.type === "text") return { ...c, values };
    return { ...c, values, levels: sortLevels(values, c.name, table.source) };
  });
  return {
    ...table,
    rows: pick.length,
    columns,
    lines: Uint32Array.from(pick, (r) => table.lines[r]!),
  };
}
