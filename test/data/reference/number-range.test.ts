import { describe, expect, it } from "vitest";
import { parseNumber } from "../../../src/data/numbers.js";
import { parseNumberRange } from "./number-range.js";

/** The in-place parser against parseNumber (regex + Number()) on the same text. */
function agree(s: string) {
  const padded = `x,${s},y`;
  const got = parseNumberRange(padded, 2, 2 + s.length);
  const want = parseNumber(s);
  expect(got === undefined ? "undefined" : Object.is(got, want) || got, s).toBe(
    want === undefined ? "undefined" : true,
  );
}

describe("parseNumberRange", () => {
  it("accepts and refuses exactly what parseNumber does", () => {
    for (const s of [
      "0",
      "-0",
      "+0",
      "1",
      "-9",
      "87.4484",
      ".5",
      "3.",
      "-1.5e-3",
      "2E+10",
      "1e22",
      "1e23",
      "123456789012345",
      "1234567890123456789",
      "0.1",
      "0.30000000000000004",
      "9007199254740993",
      "1e-400",
      "1e400",
      "",
      "+",
      "-",
      ".",
      "e5",
      "1e",
      "1e+",
      "--1",
      "1.2.3",
      "0x10",
      "Infinity",
      "NaN",
      "1_000",
      "١",
      "12a",
      "4.9e-324",
      "1.7976931348623157e308",
      "00012.500",
    ]) {
      agree(s);
    }
  });

  it("gives Number()'s value on random decimals (the fast path and the fallback)", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 20000; k++) {
      const digits = 1 + Math.floor(rand() * 19);
      let m = "";
      for (let d = 0; d < digits; d++) m += Math.floor(rand() * 10);
      const point = Math.floor(rand() * (digits + 1));
      let s = `${rand() < 0.3 ? "-" : ""}${m.slice(0, point)}.${m.slice(point)}`;
      if (s.endsWith(".") && rand() < 0.5) s = s.slice(0, -1);
      if (rand() < 0.3) s += `e${Math.floor(rand() * 60) - 30}`;
      agree(s);
    }
  });
});
