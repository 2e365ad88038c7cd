import { digitsOf, digitsOut, shortestDigits } from "./number-digits.js";

/**
 * A number's JavaScript text (`String(v)`: the shortest decimal that reads back as v, the
 * closest such, ECMAScript Number::toString) written as ASCII bytes into a buffer, without a
 * string per number. V8's own conversion costs 200–400 ns per full-precision double, which
 * made the CSV formatting of a grouped fit as costly as a third of the fit itself.
 *
 * The digits come from number-digits.ts (exact; where it defers, and for non-finite values,
 * the text is `String(v)`'s own); integers below 2^31 are written directly. So the text is
 * String(v)'s byte for byte (test/tasks/number-bytes.test.ts compares millions; about 60 % of
 * the previous writer's time per number, bench/number-bytes.mjs).
 */

// The tables below are built with plain loops when the module loads: a per-element callback
// (`Uint8Array.from({ length }, fn)`) runs cold and cost ≈ 10 ms of every start-up for QUADS
// alone, a loop well under 1 ms (bench/startup/RESULTS.md).

/** "00" … "99" as ASCII pairs. */
const PAIRS = new Uint8Array(200);
for (let p = 0; p < 100; p++) {
  PAIRS[2 * p] = 48 + Math.floor(p / 10);
  PAIRS[2 * p + 1] = 48 + (p % 10);
}

/**
 * Writes String(v) as ASCII bytes at `at` (room for 25 bytes needed, though at most 24 are
 * the text's); returns the position after the last byte.
 */
export function writeNumber(v: number, out: Uint8Array, at: number): number {
  numberSlot[0] = v;
  return writeNumberSlot(out, at);
}

/**
 * The number to write by `writeNumberSlot`: a double handed to a call that is not inlined is
 * boxed (a heap number per field, millions in a screen's CSV); stored here it is not.
 */
export const numberSlot = new Float64Array(1);

/** writeNumber of numberSlot[0]. */
export function writeNumberSlot(out: Uint8Array, at: number): number {
  const v = numberSlot[0]!;
  if (v === 0) {
    out[at] = 48; // "0" (also for −0, as String(−0))
    return at + 1;
  }
  const x = v < 0 ? -v : v;
  out[at] = 45; // "-", kept only for a negative number
  const o = v < 0 ? at + 1 : at;
  if (x < 2147483648 && (x | 0) === x) return writeInteger(x | 0, out, o);
  digitsOf[0] = x;
  const k = shortestDigits();
  return k > 0 ? placeDigits(k, out, o) : writeAscii(String(v), out, at);
}

/** `text` (ASCII) at `at`; returns the position after it. */
export function writeAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** A positive integer below 2^31 (String's text: its digits). */
function writeInteger(x: number, out: Uint8Array, o: number): number {
  let size = 1;
  while (size < 10 && x >= POW10[size]!) size++;
  let i = o + size;
  while (x >= 100) {
    const t = (x / 100) | 0;
    const pair = 2 * (x - t * 100);
    out[--i] = PAIRS[pair + 1]!;
    out[--i] = PAIRS[pair]!;
    x = t;
  }
  if (x >= 10) {
    out[--i] = PAIRS[2 * x + 1]!;
    out[--i] = PAIRS[2 * x]!;
  } else out[--i] = 48 + x;
  return o + size;
}
const POW10 = Int32Array.from({ length: 10 }, (_, k) => 10 ** k);

/**
 * The k shortest digits from digitsOut (the integer q·10^9 + r, exponent n: the number is
 * 0.d₁…d_k × 10^n) as String's text at o: "d…d.d…d" (0 < n < k), "d…d0…0" (k ≤ n ≤ 21, here
 * n ≤ 18) or "0.0…0d…d" (n ≤ 0, here n ≥ −5). All 17 digits are written, four at a time from
 * a table, one place after where the text's first digit goes; for n > 0 the first n are then
 * moved one place back, which frees the point's place (the digits past k are zeros: past the
 * text's end, or its trailing zeros).
 */
function placeDigits(k: number, out: Uint8Array, o: number): number {
  const n = digitsOut[2]!;
  const d = n > 0 ? o : o + 1 - n; // n ≤ 0: "0.", then −n zeros, then the digits
  if (out !== viewOf) {
    view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    viewOf = out;
  }
  const r = digitsOut[1]!;
  const r1 = (r / 10000) | 0;
  quad(r - r1 * 10000, d + 14);
  const r2 = (r1 / 10000) | 0;
  quad(r1 - r2 * 10000, d + 10);
  out[d + 9] = 48 + r2;
  const q = digitsOut[0]!;
  const q1 = (q / 10000) | 0;
  quad(q - q1 * 10000, d + 5);
  quad(q1, d + 1);
  if (n > 0) {
    for (let i = o; i < o + n; i++) out[i] = out[i + 1]!;
    if (n >= k) {
      if (n === 18) out[o + 17] = 48; // 10^17 (18 digits; defensive: no x < 1e17 rounds to it)
      return o + n;
    }
    out[o + n] = 46; // "."
    return o + k + 1;
  }
  out[o] = 48;
  out[o + 1] = 46;
  for (let i = o + 2; i <= d; i++) out[i] = 48;
  return d + k + 1;
}

/** "0000" … "9999" as ASCII, four bytes each. */
const QUADS = quadTable();

/**
 * Each quad is two of PAIRS's pairs, copied two bytes at a time: 16-bit views of both tables
 * move the bytes in their order whatever the machine's endianness.
 */
function quadTable(): Uint8Array {
  const quads = new Uint8Array(40000);
  const pairs16 = new Uint16Array(PAIRS.buffer);
  const quads16 = new Uint16Array(quads.buffer);
  for (let high = 0, n = 0; high < 100; high++) {
    const first = pairs16[high]!;
    for (let low = 0; low < 100; low++, n += 2) {
      quads16[n] = first;
      quads16[n + 1] = pairs16[low]!;
    }
  }
  return quads;
}

/** QUADS's entries as little-endian 32-bit words: one store writes a quad's four bytes in order. */
const QUADS_LE = new Uint32Array(10000);
for (let v = 0; v < 10000; v++) {
  const g = 4 * v;
  QUADS_LE[v] =
    (QUADS[g]! | (QUADS[g + 1]! << 8) | (QUADS[g + 2]! << 16) | (QUADS[g + 3]! << 24)) >>> 0;
}

// A DataView of the last buffer written into (CsvText reuses one; `placeDigits` checks it once
// per number): a quad is one 32-bit store (four byte stores cost ≈ 90 instructions a number
// more, the check per quad ≈ 55). Past the buffer's end it throws
// where byte stores were dropped: the writer's callers give it the room it asks for.
let viewOf: Uint8Array | null = null;
let view: DataView = new DataView(new ArrayBuffer(0));

/** The four digits of 0 ≤ v < 10^4 at `at` of `view`'s buffer. */
function quad(v: number, at: number): void {
  view.setUint32(at, QUADS_LE[v]!, true);
}
