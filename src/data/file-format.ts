import { extname } from "node:path";

/**
 * Details shared by the two delimited-file readers (`data/csv.ts` for numeric data sets,
 * `prep/table.ts` for typed tables), so both accept the same files and word errors alike.
 */

/** A file-system error as the tail of a one-line message ("data.csv: no such file"). */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a data file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return `cannot read the file (${code ?? String(error)})`;
  }
}

/** The delimiter: as given ("tab" or "\t" spelled out mean a tab), else by extension. */
export function delimiterFor(source: string, given: string | undefined): string {
  if (given === undefined) {
    const ext = extname(source).toLowerCase();
    return ext === ".tsv" || ext === ".tab" ? "\t" : ",";
  }
  return given === "tab" || given === "\\t" ? "\t" : given;
}
