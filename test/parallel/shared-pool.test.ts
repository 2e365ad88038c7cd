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

  it("fails the pending run(), instead of hanging, when a started worker exits mid-part", async () => {
    // Word 0 of `data`: 0 = count the part, 1 = part 1 calls process.exit(7) (a crash).
    const data = new Int32Array(new SharedArrayBuffer(4 * 4));
    const source = `(part, data) => {
      if (Atomics.load(data, 0) === 1 && part === 1) process.exit(7);
      Atomics.add(data, 1 + part, 1);
    }`;
    const pool = createSharedPool(3, source, data, 5_000);
    try {
      pool.run((part) => Atomics.add(data, 1 + part, 1));
      expect(Array.from(data.subarray(1))).toEqual([1, 1, 1]); // a healthy run first
      Atomics.store(data, 0, 1);
      const started = Date.now();
      const message = /a worker thread exited \(exit code 7\) while the pool was running/;
      expect(() => pool.run(() => {})).toThrow(message);
      expect(Date.now() - started).toBeLessThan(4_000);
      // The pool is closed: later runs refuse with the same reason rather than hang.
      Atomics.store(data, 0, 0);
      expect(() => pool.run(() => {})).toThrow(message);
    } finally {
      await pool.close();
    }
  });
});
