import { InputError } from "../core/errors.js";
import { packedMap } from "./packed-map.js";
import { quote } from "./table-format.js";

/**
 * Finding requested columns in a header row: each must appear exactly once; a missing one
 * is reported with the header's columns and a suggestion (a near name, or another delimiter
 * when the header reads as a single column).
 */

export interface HeaderLocation {
  /** Where the header row is, as a message prefix: `data.csv:1` or `plate.xlsx:Sheet1, row 1`. */
  readonly row: string;
  /** Where its field `field` (0-based) is: `data.csv:1:4` or `plate.xlsx:Sheet1!D1`. */
  readonly cell: (field: number) => string;
  /** Fields as the user counts them: `fields 1 and 3` or `columns A and C`. */
  readonly fields: (first: number, second: number) => string;
  /** The delimiter of a text file, to suggest another when the header reads as one column. */
  readonly delimiter?: string;
  /** Said last when a column is missing, e.g. the workbook's other sheets. */
  readonly elsewhere?: string;
}

/** The location of a delimited-text header on file line `line`. */
export function textHeader(source: string, line: number, delimiter: string): HeaderLocation {
  return {
    row: `${source}:${line}`,
    cell: (field) => `${source}:${line}:${field + 1}`,
    fields: (a, b) => `fields ${a + 1} and ${b + 1}`,
    delimiter,
  };
}

/** The 0-based field index of each name in `names` (in that order), or a located InputError. */
export function findColumns(
  header: readonly string[],
  names: readonly string[],
  where: HeaderLocation,
): number[] {
  // packedMap, not map: read per range by the grouped reader's optimised code (packed-map.ts).
  return packedMap(names, (name) => {
    const first = header.indexOf(name);
    if (first < 0) throw missingColumn(header, name, where);
    const second = header.indexOf(name, first + 1);
    if (second >= 0) {
      throw new InputError(
        `${where.cell(second)}: column "${name}" appears more than once in the header (${where.fields(first, second)}); rename one of them`,
      );
    }
    return first;
  });
}

const MAX_LISTED = 12;

/** A header name as listed in a message: as written, or JSON-quoted if it holds control characters other than a tab. */
function showName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name;
}

function missingColumn(header: readonly string[], name: string, where: HeaderLocation): InputError {
  const listed = header.slice(0, MAX_LISTED).map(showName).join(", ");
  const more = header.length > MAX_LISTED ? `, ... (${header.length - MAX_LISTED} more)` : "";
  let message = `${where.row}: no column "${name}" (columns: ${listed}${more})`;
  const other =
    header.length === 1 && where.delimiter !== undefined
      ? [",", ";", "\t", "|"].find((d) => d !== where.delimiter && header[0]!.includes(d))
      : undefined;
  const suggestion = closestName(name, header);
  if (other !== undefined) {
    message += `; the header has a single column: is the delimiter ${quote(other)}? (use --delimiter)`;
  } else if (suggestion !== undefined) {
    message += `; did you mean "${suggestion}"?`;
  }
  if (where.elsewhere !== undefined) message += `; ${where.elsewhere}`;
  return new InputError(message);
}

/** The header name most like `name` (ignoring case), if any is close enough to suggest. */
function closestName(name: string, header: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of header) {
    const c = candidate.toLowerCase();
    if (c === "") continue;
    const distance = editDistance(wanted, c);
    const close =
      distance <= Math.max(1, Math.floor(Math.max(wanted.length, c.length) / 3)) ||
      c.startsWith(wanted) ||
      wanted.startsWith(c);
    if (close && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two adjacent
 * characters as one edit each (optimal string alignment), so "tmie" is 1 from "time".
 */
export function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}
