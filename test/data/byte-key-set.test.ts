import { describe, expect, it } from "vitest";
import { ByteKeySet } from "../../src/data/byte-key-set.js";
import { mulberry32 } from "../helpers/seeded.js";

/** Adds each key (as bytes in the middle of a larger array) to a ByteKeySet and a Set. */
function both(keys: string[]) {
  const set = new ByteKeySet();
  const oracle = new Set<string>();
  const out: [boolean, boolean][] = [];
  for (const key of keys) {
    const bytes = Buffer.from(`..${key}..`, "latin1");
    out.push([set.add(bytes, 2, bytes.length - 2), !oracle.has(key)]);
    oracle.add(key);
  }
  return { set, oracle, out };
}

describe("ByteKeySet", () => {
  it("says whether a key is new as a Set of the same strings does, in order or not", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = mulberry32(seed);
      const keys: string[] = [];
      const n = 1 + Math.floor(r() * 3000);
      // A sorted run first (the table not made yet), then repeats and unsorted keys.
      const sortedFor = Math.floor(r() * n);
      for (let k = 0; k < n; k++) {
        if (k < sortedFor) keys.push(`C${String(k).padStart(6, "0")}`);
        else if (r() < 0.3 && keys.length > 0) keys.push(keys[Math.floor(r() * keys.length)]!);
        else {
          const len = Math.floor(r() * 12);
          keys.push(Array.from({ length: len }, () => String.fromCharCode(r() * 256)).join(""));
        }
      }
      const { set, oracle, out } = both(keys);
      for (const [k, [got, want]] of out.entries()) {
        if (got !== want) expect(`${seed}:${k}:${got}`).toBe(`${seed}:${k}:${want}`);
      }
      expect(set.size).toBe(oracle.size);
    }
  });

  it("tells apart keys that are prefixes of each other, and the empty key", () => {
    const { out } = both(["ab", "abc", "a", "", "abc", "", "b", "ab", "ba"]);
    expect(out.map(([got]) => got)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
  });
});
