/**
 * parseNumber (numbers.ts) of the bytes b[from, to) without a string in the common case: the
 * same grammar, `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, checked byte by byte, and the same
 * value as Number(): a decimal with at most 15 digits and a power of ten within ±22 is m·10^e
 * or m/10^e of two exact doubles, one correctly rounded operation (Clinger's fast path), which
 * is what Number() returns; anything else goes through Number() of the bytes as text (the
 * grammar is ASCII, so a Latin-1 slice is the text). The range must already be free of
 * surrounding whitespace (the grouped reader's plain fields are).
 */

/** 10^0 … 10^22, all exact doubles (group-pass.ts reads the usual decimals with them too). */
export const EXACT_POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The value of b[from, to) stored as out[at] (true), or false when the bytes are no number
 * (or one whose value is not finite, as parseNumber refuses "1e400"). Stored, not returned: a
 * double returned from a call that is not inlined is boxed, two heap numbers per row.
 */
export function parseNumberBytes(
  b: Uint8Array,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): boolean {
  return scanNumberBytes(b, from, to, out, at) === to;
}

/**
 * The number that starts at b[from] and ends at the first byte of b[from, to) that cannot
 * continue it: the position after it, its value stored as out[at]; −1 when no number starts
 * there (no digit, an exponent without digits, a value that is not finite). So the grouped
 * reader reads a field's number while it looks for the field's end (group-pass.ts), one pass
 * over its bytes; the field is that number when the byte at the position returned ends it.
 */
export function scanNumberBytes(
  b: Uint8Array,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): number {
  let i = from;
  let c = i < to ? b[i]! : 0;
  const negative = c === 45;
  if (c === 43 || c === 45) i++;
  let mantissa = 0;
  const intStart = i;
  for (; i < to; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
  }
  const digits = i - intStart;
  let fraction = 0;
  if (i < to && b[i] === 46) {
    i++;
    const fracStart = i;
    for (; i < to; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
    }
    fraction = i - fracStart;
  }
  if (digits + fraction === 0) return -1;
  let exponent = 0;
  if (i < to && (b[i]! | 32) === 101) {
    i++;
    let sign = 1;
    c = i < to ? b[i]! : 0;
    if (c === 43 || c === 45) {
      sign = c === 45 ? -1 : 1;
      i++;
    }
    const expStart = i;
    for (; i < to; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      if (exponent < 1e6) exponent = exponent * 10 + d;
    }
    if (i === expStart) return -1;
    exponent *= sign;
  }
  const power = exponent - fraction;
  // More than 15 digits (leading zeros counted too: the mantissa may then be inexact) or a
  // power beyond ±22: not provably exact here, so Number() decides.
  if (digits + fraction <= 15 && power >= -22 && power <= 22) {
    const value = power < 0 ? mantissa / EXACT_POW10[-power]! : mantissa * EXACT_POW10[power]!;
    out[at] = negative ? -value : value;
    return i;
  }
  const value = Number(latin1(b, from, i));
  if (!Number.isFinite(value)) return -1;
  out[at] = value;
  return i;
}

/** b[from, to) as text, one character per byte (only ever called on ASCII digits and signs). */
function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString("latin1");
}

/** scanNumber-style convenience for tests and one-offs: the value, or undefined. */
export function parseNumberFromBytes(b: Uint8Array, from = 0, to = b.length): number | undefined {
  return parseNumberBytes(b, from, to, scratch, 0) ? scratch[0] : undefined;
}

const scratch = new Float64Array(1);
