import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { linearPartial } from "../../src/parallel/linear-partial.js";
import {
  hasWasmLinear,
  instantiateLinearKernel,
  linearBuffers,
} from "../../src/parallel/wasm-linear.js";

/** Values spread over many magnitudes, so that any change of summation order shows. */
function spread(rng: ReturnType<typeof createRng>, length: number): Float64Array {
  return Float64Array.from(
    { length },
    () => rng.normal() * 10 ** Math.floor(rng.uniform() * 6 - 3),
  );
}

function shuffled(n: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe("the f64x2 linear kernel (wasm-linear-bytes.ts)", () => {
  it("runs on this runtime (Node >= 20 has WebAssembly SIMD and shared memory)", () => {
    expect(hasWasmLinear()).toBe(true);
  });

  it("gives the JS kernel's sums bit for bit (p = 1..18: each unrolled function and the loop; tails, orders, sub-ranges)", () => {
    let cases = 0;
    for (const p of Array.from({ length: 18 }, (_, j) => j + 1)) {
      for (const n of [1, 3, 4, 9, 64, 203]) {
        const rng = createRng(100 * p + n);
        const x = spread(rng, n * p);
        const y = spread(rng, n);
        const params = spread(rng, p + 1);
        const parts = 2;
        const buffers = linearBuffers(x, y, p, parts, true);
        const wasm = buffers.wasm!;
        expect(wasm).not.toBeNull();
        const kernel = instantiateLinearKernel(wasm);
        buffers.params.set(params);
        const order = shuffled(n, n + p);
        buffers.order.set(order);
        const ranges = [
          [0, n],
          [Math.floor(n / 3), n - Math.floor(n / 5)],
        ];
        for (const hasOrder of [0, 1]) {
          for (const [start, end] of ranges) {
            const ref = new Float64Array(p + 2 + 3).fill(Number.NaN);
            linearPartial(x, y, p, params, order, hasOrder, start!, end!, ref, 3);
            // slot 1 of the wasm memory's result slots
            buffers.partials.fill(Number.NaN);
            const out = wasm.at.partials + (p + 2) * 8;
            kernel(
              wasm.at.x,
              wasm.at.y,
              p,
              wasm.at.params,
              wasm.at.order,
              hasOrder,
              start!,
              end!,
              out,
            );
            const got = buffers.partials.subarray(p + 2, 2 * (p + 2));
            expect([...got]).toEqual([...ref.subarray(3)]);
            expect(Number.isNaN(buffers.partials[0])).toBe(true); // slot 0 untouched
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(18 * 6 * 2 * 2);
  });

  it("keeps x and y in the wasm memory the views show, copied once", () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float64Array.from([7, 8, 9]);
    const b = linearBuffers(x, y, 2, 1, true);
    expect(b.x.buffer).toBe(b.wasm!.memory.buffer);
    expect([...b.x]).toEqual([...x]);
    expect([...b.y]).toEqual([...y]);
    expect(b.x.byteOffset % 64).toBe(0);
  });
});

describe("linearBuffers without wasm", () => {
  it("puts the data in plain SharedArrayBuffers", () => {
    const b = linearBuffers(Float64Array.from([1, 2]), Float64Array.from([3]), 2, 2, false);
    expect(b.wasm).toBeNull();
    expect(b.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...b.x]).toEqual([1, 2]);
    expect(b.partials.length).toBe(8);
  });
});
