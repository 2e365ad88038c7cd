import { describe, expect, it } from "vitest";
import { createSharedPool } from "../../src/parallel/shared-pool.js";

describe("createSharedPool", () => {
  it("runs every part once per run()", async () => {
    const counts = new Int32Array(new SharedArrayBuffer(3 * 4));
    const pool = createSharedPool(3, "(part, data) => { Atomics.add(data, part, 1); }", counts);
    try {
      pool.run((part) => Atomics.add(counts, part, 1));
      pool.run((part) => Atomics.add(counts, part, 1));
      expect(Array.from(counts)).toEqual([2, 2, 2]);
    } finally {
      await pool.close();
    }
  });

  it("gives up with a message, instead of hanging, when its worker threads cannot start", () => {
    // A worker body that does not parse: the threads die before entering their loop.
    const pool = createSharedPool(2, "(part, data) => { this is not javascript }", null, 1500);
    const started = Date.now();
    expect(() => pool.run(() => {})).toThrow(/only 0 of 1 worker threads started within 1.5 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
