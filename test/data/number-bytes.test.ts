import { describe, expect, it } from "vitest";
import { parseNumberFromBytes, scanNumberBytes } from "../../src/data/number-bytes.js";
import { parseNumber } from "../../src/data/numbers.js";
import { mulberry32 } from "../helpers/seeded.js";

/**
 * The byte parser against parseNumber (regex + Number()) on the same text, inside a line. A
 * field with whitespace at an edge is refused (the grouped reader hands such a line to the
 * table reader before any number is read; parseNumber would trim it).
 */
function agree(s: string) {
  const bytes = Buffer.from(`x,${s},9`, "latin1");
  const got = parseNumberFromBytes(bytes, 2, 2 + s.length);
  const want = s === s.trim() ? parseNumber(s) : undefined;
  if (want === undefined) expect(got, s).toBeUndefined();
  else expect(Object.is(got, want), `${s}: ${got} vs ${want}`).toBe(true);
}

describe("parseNumberBytes", () => {
  it("accepts and refuses exactly what parseNumber does", () => {
    for (const s of [
      "0",
      "-0",
      "+0",
      "1",
      "-9",
      "87.4484",
      ".5",
      "-.5",
      "+3",
      "3.",
      "-1.5e-3",
      "2E+10",
      "1e5",
      "1e22",
      "1e23",
      "1e-22",
      "1e-23",
      "123456789012345",
      "1234567890123456",
      "12345678901234567890",
      "0.000000000000000000000000001",
      "1.0000000000000000001",
      "9007199254740993",
      "000000000000000000001",
      "1e400",
      "-1e400",
      "1e-400",
      "4.9e-324",
      "2.2250738585072014e-308",
      "1.7976931348623157e308",
      "1.7976931348623159e308",
      `1${"0".repeat(400)}`,
      `0.${"0".repeat(400)}1`,
      `${"9".repeat(30)}.${"9".repeat(30)}`,
      "",
      "+",
      "-",
      ".",
      "e5",
      "1e",
      "1e+",
      "1.e5",
      ".e5",
      "1.5.2",
      "0x10",
      "Infinity",
      "-Infinity",
      "NaN",
      "1,5",
      " 1",
      "1 ",
      "1_000",
      "١",
      "1e5x",
      "--1",
      "+-1",
      "1E05",
      "1e0000000000000000000000000001",
      "1e-99999999999",
      "0e99999999999",
    ]) {
      agree(s);
    }
  });

  it("gives Number()'s value on random doubles printed every way", () => {
    const r = mulberry32(7);
    for (let n = 0; n < 20000; n++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 60 - 30);
      agree(String(x));
      agree(x.toExponential(Math.floor(r() * 21)));
      agree(x.toFixed(Math.floor(r() * 21)));
      agree(x.toPrecision(1 + Math.floor(r() * 21)));
      const bits = new Float64Array(
        new Uint32Array([(r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0]).buffer,
      )[0]!;
      if (Number.isFinite(bits)) agree(String(bits));
    }
  });

  it("reads only the range it is given", () => {
    const b = Buffer.from("12e3,45", "latin1");
    expect(parseNumberFromBytes(b, 0, 2)).toBe(12);
    expect(parseNumberFromBytes(b, 0, 3)).toBeUndefined(); // "12e": the digits after are not its own
    expect(parseNumberFromBytes(b, 5, 7)).toBe(45);
    expect(parseNumberFromBytes(b, 5, 5)).toBeUndefined();
  });

  it("scans a number to the first byte that cannot continue it (the grouped reader's one pass)", () => {
    const out = new Float64Array(1);
    const scan = (text: string, from = 0) =>
      scanNumberBytes(Buffer.from(text, "latin1"), from, text.length, out, 0);
    expect(scan("-9,87.4484\n")).toBe(2);
    expect(out[0]).toBe(-9);
    expect(scan("-9,87.4484\n", 3)).toBe(10);
    expect(out[0]).toBe(87.4484);
    expect(scan("1.5e-3;x")).toBe(6);
    expect(out[0]).toBe(0.0015);
    expect(scan("12abc")).toBe(2); // the field's end decides: here not a number field
    expect(scan("1234567890123456789,")).toBe(19); // Number()'s road, on the number's bytes only
    expect(out[0]).toBe(Number("1234567890123456789"));
    for (const bad of [",1", "NA", "", "-", ".", "e5", "1e,", "1e+", "1e400,"]) {
      expect(scan(bad), bad).toBe(-1);
    }
    // What parseNumberBytes accepts is exactly a scan that ends at the range's end.
    const r = mulberry32(11);
    for (let n = 0; n < 2000; n++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 60 - 30);
      for (const s of [String(x), x.toExponential(Math.floor(r() * 21)), x.toFixed(3)]) {
        expect(scan(`${s},`), s).toBe(s.length);
        expect(Object.is(out[0], parseNumberFromBytes(Buffer.from(s, "latin1"))), s).toBe(true);
      }
    }
  });
});
