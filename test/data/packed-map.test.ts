import { describe, expect, it } from "vitest";
import { packedMap } from "../../src/data/packed-map.js";

describe("packedMap", () => {
  it("gives what Array#map gives, in order, for empty, number and object arrays", () => {
    const cases: unknown[][] = [[], [3, 1, 2], ["a", "bb"], [new Float64Array(2), null, 0.5]];
    for (const a of cases) {
      const f = (x: unknown) => (typeof x === "number" ? x * 2 : [x]);
      expect(packedMap(a, f)).toEqual(a.map(f));
    }
  });

  it("calls f once per element, first to last", () => {
    const seen: number[] = [];
    packedMap([5, 6, 7], (x) => seen.push(x));
    expect(seen).toEqual([5, 6, 7]);
  });
});
