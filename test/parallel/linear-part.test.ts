import { describe, expect, it } from "vitest";
import {
  CLAIM_STRIDE,
  claimWords,
  type LinearShared,
  linearPart,
  resetClaims,
} from "../../src/parallel/linear-partial.js";
import { linearBuffers } from "../../src/parallel/wasm-linear.js";

// linearPart's claims, run on this thread: a stand-in kernel records which chunk (from its
// result slot's address) and which rows each claim sums, in the order taken.
const JOB = 7;
const DONE = 1;

function job(threads: number, chunks: number, start: number, end: number) {
  const p = 3;
  const n = end;
  const buffers = linearBuffers(new Float64Array(n * p), new Float64Array(n), p, chunks, false);
  const d: LinearShared = {
    ...buffers,
    // Addresses only: the stand-in kernel never touches memory.
    wasm: {
      memory: new WebAssembly.Memory({ initial: 1 }),
      bytes: new Uint8Array(0),
      at: { x: 0, y: 0, params: 0, order: 0, partials: 64 },
    },
    p,
    chunks,
    threads,
    claims: claimWords(threads),
    job: JOB,
    done: DONE,
  };
  const control = new Int32Array(new SharedArrayBuffer(16 * 4));
  control[JOB] = start;
  control[JOB + 1] = end;
  control[JOB + 2] = 0;
  resetClaims(d);
  const taken: { chunk: number; from: number; to: number }[] = [];
  const kernel = (...a: number[]) => {
    taken.push({ chunk: (a[8]! - 64) / (d.stride * 8), from: a[6]!, to: a[7]! });
  };
  return { d, control, taken, kernel };
}

describe("linearPart (the parallel linear model's chunk claims)", () => {
  it("takes its own run front to back, then the others' from the back", () => {
    const { d, control, taken, kernel } = job(2, 8, 0, 80);
    linearPart(1, d, control, kernel);
    // part 1's run is chunks 4..7; part 0's (0..3) is left, so it takes those too, 3 down to 0
    expect(taken.map((t) => t.chunk)).toEqual([4, 5, 6, 7, 3, 2, 1, 0]);
    expect(control[DONE]).toBe(8); // one unit per chunk
    // chunk c is rows ⌊c·n/C⌋ .. ⌊(c+1)·n/C⌋
    expect(taken[0]).toEqual({ chunk: 4, from: 40, to: 50 });
    // every run is now empty: a late claim finds nothing
    linearPart(0, d, control, kernel);
    expect(taken.length).toBe(8);
  });

  it("shares the chunks between threads, each chunk summed once, over a sub-range", () => {
    // 3 threads, 32 chunks (runs of 10, 11, 11), rows 5..1005
    const { d, control, taken, kernel } = job(3, 32, 5, 1005);
    // part 2 has taken four chunks of its own run (as its owner does: lo + 1) ...
    for (let i = 0; i < 4; i++) {
      const w = d.claims[2 * CLAIM_STRIDE]!;
      const lo = w & 0xffff;
      Atomics.store(d.claims, 2 * CLAIM_STRIDE, ((w >>> 16) << 16) | (lo + 1));
      taken.push({ chunk: 21 + lo, from: -1, to: -1 });
    }
    // ... then part 0 takes all that is left: its run, part 1's and part 2's from the back
    linearPart(0, d, control, kernel);
    const chunks = taken.map((t) => t.chunk);
    expect(chunks.slice(4, 14)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // its run, in order
    expect(chunks.slice(14, 25)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    expect(chunks.slice(25)).toEqual([31, 30, 29, 28, 27, 26, 25]); // part 2's rest, from the back
    expect([...chunks].sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, c) => c));
    // chunk c of the range 5..1005 is rows 5 + ⌊c·1000/32⌋ .. 5 + ⌊(c+1)·1000/32⌋
    for (const t of taken.filter((u) => u.from >= 0)) {
      expect(t.from).toBe(5 + Math.floor((t.chunk * 1000) / 32));
      expect(t.to).toBe(5 + Math.floor(((t.chunk + 1) * 1000) / 32));
    }
  });

  it("reads the job after each claim (a late worker sums the current call's rows)", () => {
    const { d, control, taken, kernel } = job(2, 4, 0, 40);
    linearPart(0, d, control, kernel); // call 1: all four chunks
    control[JOB + 1] = 80; // call 2's job, then its runs reopened
    resetClaims(d);
    linearPart(1, d, control, kernel);
    expect(taken.slice(4)).toEqual([
      { chunk: 2, from: 40, to: 60 },
      { chunk: 3, from: 60, to: 80 },
      { chunk: 1, from: 20, to: 40 },
      { chunk: 0, from: 0, to: 20 },
    ]);
  });
});
