/**
 * Line ends in a delimited text's bytes, as the readers count them: LF, CR or CRLF. Byte
 * loops, not Buffer.indexOf: a call into the runtime costs more than the ~20 bytes of a
 * typical line.
 */

/** The first LF or CR in b[from, limit), or `limit`. */
export function lineEnd(b: Uint8Array, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const c = b[i]!;
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** The start of the line after the line end at b[end] (a CRLF is one line end). */
export function nextLine(b: Uint8Array, end: number, limit: number): number {
  return b[end] === 13 && end + 1 < limit && b[end + 1] === 10 ? end + 2 : end + 1;
}
