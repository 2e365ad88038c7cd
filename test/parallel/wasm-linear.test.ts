import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { linearPartial } from "../../src/parallel/linear-partial.js";
import {
  hasWasmLinear,
  instantiateLinearKernel,
  linearBuffers,
  rowPairDoubles,
  slotStride,
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

/**
 * linear-partial.ts's documented summation order, written out row by row as plainly as
 * possible (no blocks, no lanes): the definition the two kernels are checked against. For
 * p >= 2: dot product = (b + even-j terms) + (0 + odd-j terms), j ascending (an odd p's last
 * term is an even j); Σr² and Σr as two chains, rows at even and at odd positions k − start,
 * joined even + odd. For p = 1 one chain each. Every gradient entry in row order.
 */
function documentedSums(
  x: Float64Array,
  y: Float64Array,
  p: number,
  params: Float64Array,
  order: Uint32Array | null,
  start: number,
  end: number,
): number[] {
  const grad = new Array<number>(p).fill(0);
  const sse = [0, 0];
  const sr = [0, 0];
  for (let k = start; k < end; k++) {
    const i = order === null ? k : order[k]!;
    let r: number;
    if (p === 1) r = params[1]! + x[i]! * params[0]! - y[i]!;
    else {
      let even = params[p]!;
      let odd = 0;
      for (let j = 0; j < p; j += 2) even += x[i * p + j]! * params[j]!;
      for (let j = 1; j < p; j += 2) odd += x[i * p + j]! * params[j]!;
      r = even + odd - y[i]!;
    }
    const parity = p === 1 ? 0 : (k - start) % 2;
    sse[parity]! += r * r;
    sr[parity]! += r;
    for (let j = 0; j < p; j++) grad[j]! += x[i * p + j]! * r;
  }
  return p === 1 ? [...grad, sse[0]!, sr[0]!] : [...grad, sse[0]! + sse[1]!, sr[0]! + sr[1]!];
}

/** The same sums in one sequential chain each (the order before the split): a control. */
function sequentialSums(
  x: Float64Array,
  y: Float64Array,
  p: number,
  params: Float64Array,
): number[] {
  const grad = new Array<number>(p).fill(0);
  let sse = 0;
  let sr = 0;
  for (let i = 0; i < y.length; i++) {
    let q = params[p]!;
    for (let j = 0; j < p; j++) q += x[i * p + j]! * params[j]!;
    const r = q - y[i]!;
    sse += r * r;
    sr += r;
    for (let j = 0; j < p; j++) grad[j]! += x[i * p + j]! * r;
  }
  return [...grad, sse, sr];
}

describe("the linear kernels' summation order (linear-partial.ts)", () => {
  it("sums in the documented order: JS and wasm kernels equal a plain re-implementation bit for bit", () => {
    let cases = 0;
    for (const p of [1, 2, 3, 7, 10, 16, 17]) {
      for (const n of [1, 2, 7, 9, 17, 203, 1001]) {
        const rng = createRng(7 * p + 1000 * n);
        const x = spread(rng, n * p);
        const y = spread(rng, n);
        const params = spread(rng, p + 1);
        const buffers = linearBuffers(x, y, p, 1, true);
        const wasm = buffers.wasm!;
        const kernel = instantiateLinearKernel(wasm);
        buffers.params.set(params);
        const order = shuffled(n, 3 * n + p);
        buffers.order.set(order);
        // whole range, and a sub-range starting at an odd row (positions count from start)
        for (const [start, end] of [
          [0, n],
          [Math.min(1, n), n - Math.floor(n / 4)],
        ] as const) {
          for (const hasOrder of [0, 1]) {
            const want = documentedSums(x, y, p, params, hasOrder ? order : null, start, end);
            const js = new Float64Array(p + 2);
            linearPartial(x, y, p, params, order, hasOrder, start, end, js, 0);
            kernel(
              wasm.at.x,
              wasm.at.y,
              p,
              wasm.at.params,
              wasm.at.order,
              hasOrder,
              start,
              end,
              wasm.at.partials,
            );
            const got = [...buffers.partials.subarray(0, p + 2)];
            // toEqual compares numbers with Object.is: bit for bit, −0 and NaN included
            expect([...js]).toEqual(want);
            expect(got).toEqual(want);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(7 * 7 * 2 * 2);
  });

  it("is a different order from one sequential chain (so the check above can fail)", () => {
    const p = 10;
    const n = 1001;
    const rng = createRng(5);
    const x = spread(rng, n * p);
    const y = spread(rng, n);
    const params = spread(rng, p + 1);
    const split = documentedSums(x, y, p, params, null, 0, n);
    const sequential = sequentialSums(x, y, p, params);
    expect(split).not.toEqual(sequential);
    // and only in rounding: the sums agree to a few ulps of their terms' scale
    for (let j = 0; j < p + 2; j++) {
      expect(Math.abs(split[j]! - sequential[j]!)).toBeLessThan(
        1e-9 * Math.abs(sequential[j]!) + 1e-9,
      );
    }
  });
});

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
        // the unrolled functions' blocks start at a row pair: odd starts run a row first,
        // also when it is the only row or there is none
        const ranges = [
          [0, n],
          [Math.floor(n / 3), n - Math.floor(n / 5)],
          [Math.min(1, n), Math.min(2, n)],
          [Math.min(1, n), Math.min(1, n)],
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
    expect(cases).toBe(18 * 6 * 2 * 4);
  });

  it("keeps x and y in wasm memory as row pairs: x of rows 2m and 2m + 1, then their y", () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const y = Float64Array.from([7, 8, 9]);
    const b = linearBuffers(x, y, 2, 1, true);
    const { at, memory } = b.wasm!;
    expect(b.js).toBeNull();
    expect(rowPairDoubles(2)).toBe(6);
    // the last pair has no row 3: its x and y stay 0
    const pairs = [...new Float64Array(memory.buffer, at.x, 2 * rowPairDoubles(2))];
    expect(pairs).toEqual([1, 2, 3, 4, 7, 8, 5, 6, 0, 0, 9, 0]);
    expect(at.y).toBe(at.x + 16 * 2); // row 0's y
    expect(at.x % 64).toBe(0);
  });
});

describe("linearBuffers without wasm", () => {
  it("puts the data in plain SharedArrayBuffers", () => {
    const b = linearBuffers(Float64Array.from([1, 2]), Float64Array.from([3]), 2, 2, false);
    expect(b.wasm).toBeNull();
    expect(b.js!.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...b.js!.x]).toEqual([1, 2]);
    expect([...b.js!.y]).toEqual([3]);
    expect(b.stride).toBe(16); // p + 2 = 4 values, padded to 128 bytes
    expect(b.partials.length).toBe(2 * 16);
  });
});

describe("result slots (slotStride)", () => {
  it("never share a 128-byte block between two slots, in wasm memory or not", () => {
    for (const p of [1, 2, 10, 14, 15, 30]) {
      const stride = slotStride(p);
      expect(stride).toBeGreaterThanOrEqual(p + 2);
      expect((stride * 8) % 128).toBe(0);
      expect(stride * 8 - (p + 2) * 8).toBeLessThan(128); // no more padding than that
      const n = 5;
      const x = Float64Array.from({ length: n * p }, (_, i) => i);
      const y = Float64Array.from({ length: n }, (_, i) => i);
      for (const useWasm of [true, false]) {
        const b = linearBuffers(x, y, p, 3, useWasm);
        expect(b.stride).toBe(stride);
        expect(b.partials.length).toBe(3 * stride);
        // slot c starts on a 64-byte boundary of the buffer, so slot c's last value and
        // slot c + 1's first lie in different 128-byte-aligned pairs of lines
        expect(b.partials.byteOffset % 64).toBe(0);
      }
    }
  });
});
