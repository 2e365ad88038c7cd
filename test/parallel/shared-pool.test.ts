import { describe, expect, it } from "vitest";
import { createSharedPool, DONE } from "../../src/parallel/shared-pool.js";

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
    const pool = createSharedPool(2, "(part, data) => { this is not javascript }", null, {
      startTimeoutMs: 1500,
    });
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
    const pool = createSharedPool(3, source, data, { startTimeoutMs: 5_000 });
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

  // countsUnits: the parts claim units from a counter (data[0]), mark each in data[1 + u] and
  // count it in the pool's DONE word; run(runHere, units) waits for the units, not the workers.
  const claimUnits = `(part, data, control) => {
    if (Atomics.load(data, 10) === part) Atomics.wait(data, 11, 0, 400); // a late worker
    if (Atomics.load(data, 12) === part) throw new Error("a part fails");
    for (let u = Atomics.add(data, 0, 1); u < 4; u = Atomics.add(data, 0, 1)) {
      Atomics.add(data, 1 + u, 1);
      Atomics.add(control, ${DONE}, 1);
      Atomics.notify(control, ${DONE});
    }
  }`;
  const unitsData = () => {
    const data = new Int32Array(new SharedArrayBuffer(16 * 4));
    data[10] = -1;
    data[12] = -1;
    return data;
  };
  const runHere = (data: Int32Array, control: Int32Array, part: number) => {
    for (let u = Atomics.add(data, 0, 1); u < 4; u = Atomics.add(data, 0, 1)) {
      Atomics.add(data, 1 + u, 1);
      Atomics.add(control, DONE, 1);
    }
    void part;
  };

  it("with countsUnits returns once the units are counted, not waiting for a late worker", async () => {
    const data = unitsData();
    const pool = createSharedPool(2, claimUnits, data, { countsUnits: true });
    try {
      Atomics.store(data, 10, 1); // the worker sleeps 400 ms before it looks for units
      const started = Date.now();
      pool.run((part) => runHere(data, pool.control, part), 4);
      expect(Date.now() - started).toBeLessThan(300);
      expect(Array.from(data.subarray(1, 5))).toEqual([1, 1, 1, 1]); // every unit once
      // The next runs count their own units, whoever claims them, late worker or not.
      for (let r = 2; r <= 4; r++) {
        Atomics.store(data, 10, -1);
        Atomics.store(data, 0, 0);
        pool.run((part) => runHere(data, pool.control, part), 4);
        expect(Array.from(data.subarray(1, 5))).toEqual([r, r, r, r]);
      }
    } finally {
      await pool.close();
    }
  });

  it("with countsUnits fails, and closes, when a worker's part throws (its units never come)", async () => {
    const data = unitsData();
    const pool = createSharedPool(2, claimUnits, data, { countsUnits: true });
    try {
      Atomics.store(data, 12, 1);
      // The calling thread claims nothing, so the failed worker's units are missing.
      const started = Date.now();
      expect(() => pool.run(() => {}, 4)).toThrow(
        /a worker thread's part failed: the worker threads are closed/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(() => pool.run(() => {}, 4)).toThrow(/the worker threads are closed/);
    } finally {
      await pool.close();
    }
  });

  it("without spinning (spinMs 0) gives the same counts", async () => {
    const counts = new Int32Array(new SharedArrayBuffer(3 * 4));
    const source = "(part, data) => { Atomics.add(data, part, 1); }";
    const pool = createSharedPool(3, source, counts, { spinMs: 0 });
    try {
      for (let r = 0; r < 5; r++) pool.run((part) => Atomics.add(counts, part, 1));
      expect(Array.from(counts)).toEqual([5, 5, 5]);
    } finally {
      await pool.close();
    }
  });
});
