import { describe, expect, it } from "vitest";
import { CsvText } from "../../src/tasks/csv-text.js";
import { writeNumber } from "../../src/tasks/number-bytes.js";

// writeNumber must give String(v)'s text byte for byte: it is checked against V8's own
// conversion on families of numbers that exercise every branch (full-precision doubles, short
// decimals and their neighbours, integers, powers of ten and two and their neighbours).
const buf = new Uint8Array(64);
const decoder = new TextDecoder();
const text = (v: number) => decoder.decode(buf.subarray(0, writeNumber(v, buf, 0)));

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const low = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
/** The double `steps` ulps away from x > 0 (negative: towards zero). */
function step(x: number, steps: number): number {
  f64[0] = x;
  const big = BigInt(u32[1 - low]!) * 2n ** 32n + BigInt(u32[low]!) + BigInt(steps);
  u32[low] = Number(big & 0xffffffffn);
  u32[1 - low] = Number(big >> 32n);
  return f64[0]!;
}

/** A seeded generator (mulberry32), so a failure names a value that reproduces. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mismatches(values: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const v of values) {
    const got = text(v);
    if (got !== String(v)) bad.push(`${String(v)} written as ${got}`);
  }
  return bad.slice(0, 5);
}

describe("writeNumber", () => {
  it("writes the edge cases as String does", () => {
    const cases = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.2,
      0.3,
      1 / 3,
      2 / 3,
      123456789,
      1e-7,
      1e-6,
      9.99e-7,
      1.5e-6,
      1e16,
      1e17,
      1e21,
      1e22,
      123e18,
      5e-324,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      Number.EPSILON,
      Number.MAX_SAFE_INTEGER,
      2 ** 53,
      2 ** 60,
      2 ** -20,
      0.5,
      0.25,
      1024,
      9999999999999998,
      0.000001234,
      4.35,
      0.1 + 0.2,
      100,
      1e15 + 0.3,
      Number.NaN,
      Infinity,
      -Infinity,
    ];
    expect(mismatches(cases.flatMap((v) => [v, -v]))).toEqual([]);
  });

  it("writes full-precision doubles of every decade as String does", () => {
    const rand = random(1);
    const values: number[] = [];
    for (let i = 0; i < 60_000; i++) {
      const v = 10 ** (rand() * 28 - 9);
      values.push(v, -v, step(v, 1), step(v, -1));
    }
    expect(mismatches(values)).toEqual([]);
  });

  it("writes short decimals, integers and their neighbours as String does", () => {
    const rand = random(2);
    const values: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      const digits = 1 + Math.floor(rand() * 17);
      const v = Number((rand() * 10 ** Math.floor(rand() * 20 - 8)).toPrecision(digits));
      if (v > 0) values.push(v, step(v, 1), step(v, -1), step(v, 2), step(v, -2));
      values.push(Math.floor(rand() * 2 ** 53), Math.floor(rand() * 1e6) * 10 ** (i % 12));
    }
    expect(mismatches(values)).toEqual([]);
  });

  it("writes powers of ten and two and their neighbours as String does", () => {
    const values: number[] = [];
    for (let e = -9; e <= 22; e++) {
      const p = Number(`1e${e}`);
      for (let s = -3; s <= 3; s++) values.push(step(p, s));
    }
    for (let e = -40; e <= 70; e++) for (let s = -2; s <= 2; s++) values.push(step(2 ** e, s));
    expect(mismatches(values)).toEqual([]);
  });
});

describe("writeNumber against String on adversarial doubles", () => {
  /** The double with these two 32-bit words (high: sign, exponent, top of the significand). */
  const fromWords = (high: number, lowWord: number) => {
    u32[1 - low] = high >>> 0;
    u32[low] = lowWord >>> 0;
    return f64[0]!;
  };

  it("writes a million random bit patterns as String does", () => {
    const rand = random(3);
    const word = () => Math.floor(rand() * 2 ** 32);
    const values: number[] = [];
    for (let i = 0; i < 1_000_000; i++) values.push(fromWords(word(), word()));
    expect(mismatches(values)).toEqual([]);
  });

  it("writes two million random significands of the digit path's exponents as String does", () => {
    // Exponents 2^−21 … 2^57 (1e-6 ≤ |v| < 1e17 and a little beyond each end), any sign.
    const rand = random(4);
    const values: number[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      const exponent = 1023 - 21 + Math.floor(rand() * 79);
      const sign = rand() < 0.5 ? 0x80000000 : 0;
      values.push(
        fromWords(sign | (exponent << 20) | Math.floor(rand() * 2 ** 20), rand() * 2 ** 32),
      );
    }
    expect(mismatches(values)).toEqual([]);
  });

  it("writes subnormals, the extremes and the 1e21 and 1e-7 boundaries as String does", () => {
    const values: number[] = [5e-324, 1e-323, 2.225073858507201e-308, 2.2250738585072014e-308];
    for (let s = 0; s <= 200; s++) values.push(step(5e-324, s), step(2.2250738585072014e-308, -s));
    for (let s = -200; s <= 0; s++) values.push(step(Number.MAX_VALUE, s));
    values.push(1.7976931348623157e308, 1e21, 1e-7, 1e-6, 1e17, 1e16);
    for (const p of [1e21, 1e-7, 1e-6, 1e17, 1e16, 1e15, 2 ** 53, 2 ** 31, 1e9, 1e10]) {
      for (let s = -300; s <= 300; s++) values.push(step(p, s));
    }
    expect(mismatches(values.flatMap((v) => [v, -v]))).toEqual([]);
  });

  it("writes at any position of any buffer, views of larger ones too, bytes around untouched", () => {
    // The digits go four at a time through a DataView of the last buffer written into: a
    // view's offset, unaligned positions and a switch between buffers must not shift them.
    const big = new Uint8Array(256);
    const views = [new Uint8Array(40), big.subarray(3, 43), big.subarray(101, 150)];
    const r = random(17);
    for (let n = 0; n < 20000; n++) {
      const out = views[n % 3]!;
      out.fill(35); // "#"
      const at = Math.floor(r() * 8);
      const v = (r() - 0.5) * 10 ** Math.floor(r() * 30 - 10);
      const end = writeNumber(v, out, at);
      const got = decoder.decode(out.subarray(at, end));
      if (got !== String(v)) expect(got, `${String(v)} at ${at}`).toBe(String(v));
      for (let i = 0; i < at; i++) expect(out[i], `byte ${i} before ${String(v)}`).toBe(35);
      const tail = out.subarray(end);
      // Bytes past the text may hold digits the writer placed ahead (within its 25 bytes).
      expect(tail.subarray(Math.max(0, at + 25 - end)).every((b) => b === 35)).toBe(true);
    }
    expect(big.subarray(0, 3).every((b) => b === 0)).toBe(true);
    expect(big.subarray(43, 101).every((b) => b === 0)).toBe(true);
  });

  it("writes integers near 2^31 and 2^53, and every power of ten, as String does", () => {
    const values: number[] = [-0, 0.1 + 0.2, 0.3 - 0.1, 1 - 1e-16, Number("99999999999999999")];
    for (let d = -2000; d <= 2000; d++) values.push(2 ** 31 + d, 2 ** 53 + 2 * d, 2 ** 32 + d);
    for (let e = -323; e <= 308; e++) {
      const p = Number(`1e${e}`);
      values.push(p, step(p, 1), step(p, -1), 9 * p, 5 * p);
    }
    for (let i = 1; i < 10_000; i++) values.push(i, i * 10 ** (i % 18), (i + 0.5) / 10 ** (i % 9));
    expect(mismatches(values.flatMap((v) => [v, -v]))).toEqual([]);
  });
});

describe("CsvText", () => {
  // The field rule of the CSV (groups-csv.ts): numbers as String, text quoted when it holds a
  // quote, a comma or a line break or has white space at either end.
  const cell = (s: string) =>
    /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;

  it("quotes text exactly where the field rule says, ASCII or not", () => {
    const texts = [
      "",
      "plain",
      "a,b",
      'say "hi"',
      "two\nlines",
      "cr\r",
      " lead",
      "trail ",
      "\ttab",
      "nbsp\u00a0",
      "\ufeffbom",
      "ünïcode",
      "ünï,code",
      "\u2028",
      "mid dle",
      "emoji 🧪",
    ];
    const out = new CsvText();
    for (const t of texts) {
      out.text(t);
      out.char(44);
      out.number(1.25);
      out.char(10);
    }
    expect(out.take()).toBe(texts.map((t) => `${cell(t)},1.25\n`).join(""));
    expect(out.take()).toBe("");
  });

  it("hands out the same text as UTF-8 bytes, a fresh copy each time", () => {
    const out = new CsvText();
    const fields = ["\ufeffbom", "ünï,code", "plain", "emoji 🧪", 'q"'];
    const write = () => {
      for (const t of fields) {
        out.text(t);
        out.char(44);
        out.number(-0.1 - 0.2);
        out.char(10);
      }
    };
    write();
    const text = out.take();
    // A leading BOM is text (trim removes it: quoted), not stripped by the decoding.
    expect(text.startsWith('"\ufeffbom",')).toBe(true);
    write();
    const first = out.takeBytes();
    write();
    const second = out.takeBytes();
    expect(Buffer.from(first).equals(Buffer.from(text, "utf8"))).toBe(true);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(first.buffer).not.toBe(second.buffer);
    expect(out.takeBytes().length).toBe(0);
  });

  it("grows its buffer and writes null and undefined as empty fields", () => {
    const out = new CsvText();
    const expected: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = i % 7 === 0 ? null : i % 11 === 0 ? undefined : Math.sqrt(i) * 1e-3;
      out.number(v);
      out.ascii(i % 2 === 0 ? "true" : "false");
      out.char(10);
      expected.push(`${v == null ? "" : String(v)}${i % 2 === 0 ? "true" : "false"}\n`);
    }
    expect(out.take()).toBe(expected.join(""));
  });
});
