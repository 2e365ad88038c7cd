import { describe, expect, it } from "vitest";
import type { NetworkBuild } from "../../src/parallel/network-build.js";
import { createNetworkPool, liveNetworkWorkers } from "../../src/parallel/network-pool.js";
import { CONTROL, type NetworkShared } from "../../src/parallel/network-shared.js";

// The pool's failure paths, with hand-made shared memory. The worker threads run the compiled
// modules (dist/): `npx tsc -p tsconfig.build.json` first (npm test does).

const shared = (f: Float64Array) => new Float64Array(new SharedArrayBuffer(f.length * 8));

function memory(build: NetworkBuild, parts: number, rows = 4, p = 2): NetworkShared {
  const x = shared(new Float64Array(rows * p));
  x.set(Array.from({ length: rows * p }, (_, i) => Math.sin(i)));
  return {
    build,
    features: Array.from({ length: p }, (_, j) => `x${j}`),
    rows,
    x,
    y: (() => {
      const y = shared(new Float64Array(rows));
      y.set(Array.from({ length: rows }, (_, i) => i + 1));
      return y;
    })(),
    params: shared(new Float64Array(64)),
    order: new Uint32Array(new SharedArrayBuffer(rows * 4)),
    slots: shared(new Float64Array(parts * 64)),
    losses: shared(new Float64Array(parts)),
    parts,
    control: new Int32Array(new SharedArrayBuffer(CONTROL.words * 4)),
    message: new Uint8Array(new SharedArrayBuffer(256)),
  };
}

async function allWorkersEnded(): Promise<void> {
  const since = Date.now();
  while (liveNetworkWorkers() > 0) {
    if (Date.now() - since > 10_000) throw new Error(`${liveNetworkWorkers()} threads still live`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("createNetworkPool", () => {
  it("runs part 0 here and the others on workers, once per run(), then closes", async () => {
    const m = memory({ kind: "mlp", options: { spec: "mlp:3", task: "regress" } }, 3);
    Atomics.store(m.control, CONTROL.end, 4);
    const pool = createNetworkPool(m);
    let here = 0;
    try {
      pool.run(() => here++);
      pool.run(() => here++);
      expect(here).toBe(2);
      // Every worker wrote its part's mean loss (θ = 0 predicts 0 for y = 2 and 3, 4: 4 and 12.5).
      expect(Array.from(m.losses)).toEqual([0, 4, 12.5]);
    } finally {
      await pool.close();
    }
    expect(liveNetworkWorkers()).toBe(0);
    expect(() => pool.run(() => {})).toThrow("the network's worker threads were closed");
  });

  it("fails run() with the exit code, instead of hanging, when the workers cannot build", async () => {
    // An option the network refuses: the workers throw while building and exit.
    const bad = { kind: "mlp", options: { spec: "mlp:3", bogus: 1 } } as unknown as NetworkBuild;
    const pool = createNetworkPool(memory(bad, 3), 5_000);
    const started = Date.now();
    expect(() => pool.run(() => {})).toThrow(
      /^a network worker thread exited \(exit code 1\) while training: its part of the batch is lost/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    await allWorkersEnded();
    expect(() => pool.run(() => {})).toThrow(/exited \(exit code 1\)/);
    await pool.close(); // closing a failed pool is harmless
  });

  it("fails run() with the part's message when a worker's part throws, and ends the workers", async () => {
    const m = memory({ kind: "mlp", options: { spec: "mlp:3", task: "regress" } }, 2);
    Atomics.store(m.control, CONTROL.end, 4);
    // No parameters to read: the worker's part throws a TypeError.
    m.params = null as unknown as Float64Array;
    const pool = createNetworkPool(m);
    expect(() => pool.run(() => {})).toThrow(
      /^a network worker thread's part failed: Cannot read properties of null/,
    );
    await allWorkersEnded();
  });
});
