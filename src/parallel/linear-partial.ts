import type { LinearBuffers, LinearKernel } from "./wasm-linear.js";

/**
 * The linear model's multi-feature full-batch sweep (src/models/linear.ts calls it over all
 * rows; parallel-linear.ts over each chunk of rows): for rows `order[start..end)` (or
 * `start..end` when `hasOrder` is 0) it writes into `out[at .. at + p + 2)` the unscaled sums
 * Σ x_ij·r_i (j < p),  Σ r_i²,  Σ r_i,  with r_i = x_i·w + b − y_i.
 *
 * The summation order is part of the definition (wasm-linear.ts runs the same sums in
 * WebAssembly SIMD, bit for bit; this is its fallback and the definition it is tested
 * against). For p >= 2 it is chosen so that f64x2 lanes run it without shuffles or long
 * dependency chains:
 *   - a row's dot product is two chains: even = b + x_i0·w_0 + x_i2·w_2 + … and
 *     odd = 0 + x_i1·w_1 + x_i3·w_3 + … (j ascending; an odd p's last term joins the even
 *     chain), then r_i = (even + odd) − y_i;
 *   - Σr² and Σr are two chains each: the rows at even positions t = k − start, and the rows
 *     at odd ones, each in row order; the result is even + odd;
 *   - each gradient entry adds x_ij·r_i row after row.
 * For p = 1 every sum is one chain in row order (as linear.ts's single-feature sweep, which a
 * one-worker parallel model must match). One part over all rows gives the single-thread
 * numbers bit for bit. Four rows a pass, so the dot products are independent chains and each
 * gradient entry is read and written once per four rows.
 *
 * This function runs in worker threads too: shared-pool.ts ships its source text
 * (`Function.prototype.toString`) to each worker, so it must stay self-contained — no
 * imports, no closures, nothing but its arguments and locals.
 */
export function linearPartial(
  x: Float64Array,
  y: Float64Array,
  p: number,
  params: Float64Array,
  order: Uint32Array,
  hasOrder: number,
  start: number,
  end: number,
  out: Float64Array,
  at: number,
): void {
  const b = params[p]!;
  for (let j = 0; j < p; j++) out[at + j] = 0;
  let sse = 0;
  let sr = 0;
  if (p === 1) {
    const w = params[0]!;
    let g = 0;
    for (let k = start; k < end; k++) {
      const i = hasOrder === 0 ? k : order[k]!;
      const r = b + x[i]! * w - y[i]!;
      sse += r * r;
      sr += r;
      g += x[i]! * r;
    }
    out[at] = g;
    out[at + 1] = sse;
    out[at + 2] = sr;
    return;
  }
  // sse, sr: rows at even positions; sseO, srO: rows at odd positions
  let sseO = 0;
  let srO = 0;
  const last = p - 1;
  const oddP = (p & 1) === 1;
  let k = start;
  for (; k + 4 <= end; k += 4) {
    const i0 = hasOrder === 0 ? k : order[k]!;
    const i1 = hasOrder === 0 ? k + 1 : order[k + 1]!;
    const i2 = hasOrder === 0 ? k + 2 : order[k + 2]!;
    const i3 = hasOrder === 0 ? k + 3 : order[k + 3]!;
    const o0 = i0 * p;
    const o1 = i1 * p;
    const o2 = i2 * p;
    const o3 = i3 * p;
    let e0 = b;
    let e1 = b;
    let e2 = b;
    let e3 = b;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let j = 0; j < last; j += 2) {
      const we = params[j]!;
      const wd = params[j + 1]!;
      e0 += x[o0 + j]! * we;
      d0 += x[o0 + j + 1]! * wd;
      e1 += x[o1 + j]! * we;
      d1 += x[o1 + j + 1]! * wd;
      e2 += x[o2 + j]! * we;
      d2 += x[o2 + j + 1]! * wd;
      e3 += x[o3 + j]! * we;
      d3 += x[o3 + j + 1]! * wd;
    }
    if (oddP) {
      const w = params[last]!;
      e0 += x[o0 + last]! * w;
      e1 += x[o1 + last]! * w;
      e2 += x[o2 + last]! * w;
      e3 += x[o3 + last]! * w;
    }
    const r0 = e0 + d0 - y[i0]!;
    const r1 = e1 + d1 - y[i1]!;
    const r2 = e2 + d2 - y[i2]!;
    const r3 = e3 + d3 - y[i3]!;
    sse += r0 * r0;
    sseO += r1 * r1;
    sse += r2 * r2;
    sseO += r3 * r3;
    sr += r0;
    srO += r1;
    sr += r2;
    srO += r3;
    for (let j = 0; j < p; j++) {
      let g = out[at + j]!;
      g += x[o0 + j]! * r0;
      g += x[o1 + j]! * r1;
      g += x[o2 + j]! * r2;
      g += x[o3 + j]! * r3;
      out[at + j] = g;
    }
  }
  for (; k < end; k++) {
    const i = hasOrder === 0 ? k : order[k]!;
    const o = i * p;
    let e = b;
    let d = 0;
    for (let j = 0; j < last; j += 2) {
      e += x[o + j]! * params[j]!;
      d += x[o + j + 1]! * params[j + 1]!;
    }
    if (oddP) e += x[o + last]! * params[last]!;
    const r = e + d - y[i]!;
    if (((k - start) & 1) === 0) {
      sse += r * r;
      sr += r;
    } else {
      sseO += r * r;
      srO += r;
    }
    for (let j = 0; j < p; j++) out[at + j]! += x[o + j]! * r;
  }
  out[at + p] = sse + sseO;
  out[at + p + 1] = sr + srO;
}

/** The shared buffers of a parallel linear model (parallel-linear.ts): linearBuffers' views. */
export interface LinearShared extends LinearBuffers {
  p: number;
  /** How many chunks the rows are cut into (one result slot each). */
  chunks: number;
  /** First control word of the job: start, end, hasOrder, then the next chunk to take. */
  job: number;
  /** The pool's done count (shared-pool.ts's DONE): one unit per chunk summed. */
  done: number;
}

/**
 * One thread's share of the job in the control words (start, end, hasOrder at `d.job`): it
 * takes chunks (Atomics.add on the counter at d.job + 3) until none is left; chunk c is rows
 * start + ⌊c·n/chunks⌋ .. start + ⌊(c+1)·n/chunks⌋ of the range, summed into slot c, then
 * counted in the pool's done word (a unit of a `countsUnits` pool). Which thread takes which
 * chunk varies with the scheduler, but what lands in each slot does not, so a thread that is
 * descheduled (a loaded machine) delays nothing: the others take its chunks.
 *
 * The job is read after each claim, not before the first: a worker woken for an earlier call
 * may get here after that call returned (the pool does not wait for it), and a chunk it claims
 * then belongs to the current call, whose job the caller wrote before resetting the counter.
 * Summed by this thread's wasm `kernel` when the data live in wasm memory (the same sums, bit
 * for bit), else by `linearPartial`. Self-contained like `linearPartial` (it also runs in the
 * workers, as source).
 */
export function linearPart(
  _part: number,
  d: LinearShared,
  control: Int32Array,
  kernel: LinearKernel | null,
): void {
  for (
    let c = Atomics.add(control, d.job + 3, 1);
    c < d.chunks;
    c = Atomics.add(control, d.job + 3, 1)
  ) {
    const start = Atomics.load(control, d.job);
    const count = Atomics.load(control, d.job + 1) - start;
    const hasOrder = Atomics.load(control, d.job + 2);
    const from = start + Math.floor((c * count) / d.chunks);
    const to = start + Math.floor(((c + 1) * count) / d.chunks);
    const slot = c * d.stride;
    if (d.js !== null) {
      linearPartial(d.js.x, d.js.y, d.p, d.params, d.order, hasOrder, from, to, d.partials, slot);
    } else {
      const at = d.wasm!.at; // the data are in wasm memory, so every thread has its kernel
      kernel!(at.x, at.y, d.p, at.params, at.order, hasOrder, from, to, at.partials + slot * 8);
    }
    Atomics.add(control, d.done, 1);
    Atomics.notify(control, d.done);
  }
}
