// The string-range number parser of the grouped reader before it worked on bytes (main 3edd181),
// kept with the frozen reader copy beside it (grouped-columns-text.ts) as part of its oracle; the
// library now parses bytes (src/data/number-bytes.ts). Not used by the library.
/**
 * parseNumber (src/data/numbers.ts) of text[from, to) without making the string in the common case:
 * the same grammar, `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, checked by character code, and
 * the same value as Number(): a decimal with at most 15 digits and a power of ten within
 * ±22 is m·10^e or m/10^e of two exact doubles, one correctly rounded operation (Clinger's
 * fast path), which is what Number() returns; anything else goes through Number() itself.
 * The range must already be free of surrounding whitespace (the grouped reader's plain
 * fields are).
 */

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // 10^0 … 10^22, all exact

export function parseNumberRange(text: string, from: number, to: number): number | undefined {
  return parseNumberInto(text, from, to, scratch, 0) ? scratch[0] : undefined;
}

const scratch = new Float64Array(1);

/**
 * parseNumberRange's value stored as out[at] (true), or false when the text is no number.
 * A double returned from a call that is not inlined is boxed (a heap number of 12 bytes): two
 * per row of a grouped file, millions for a screen; stored into a Float64Array it is not.
 */
export function parseNumberInto(
  text: string,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
): boolean {
  let i = from;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (c === 43 || c === 45) i++;
  let mantissa = 0;
  let digits = 0;
  const intStart = i;
  for (; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
  }
  digits = i - intStart;
  let fraction = 0;
  if (i < to && text.charCodeAt(i) === 46) {
    i++;
    const fracStart = i;
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
    }
    fraction = i - fracStart;
  }
  if (digits + fraction === 0) return false;
  let exponent = 0;
  if (i < to && (text.charCodeAt(i) | 32) === 101) {
    i++;
    let sign = 1;
    c = text.charCodeAt(i);
    if (c === 43 || c === 45) {
      sign = c === 45 ? -1 : 1;
      i++;
    }
    const expStart = i;
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (exponent < 1e6) exponent = exponent * 10 + d;
    }
    if (i === expStart) return false;
    exponent *= sign;
  }
  if (i !== to) return false;
  const power = exponent - fraction;
  if (digits + fraction <= 15 && power >= -22 && power <= 22) {
    const value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
    out[at] = negative ? -value : value;
    return true;
  }
  const value = Number(text.slice(from, to));
  if (!Number.isFinite(value)) return false;
  out[at] = value;
  return true;
}
