// The memory-bandwidth side of bench/linear-parallel.mjs: a STREAM-like triad (a = b + s·c)
// and a read-only sum, in WebAssembly SIMD over a shared memory, on as many threads as the
// peer uses (createSharedPool from dist). Measures what the memory system gives, not what a
// JS loop can do: the earlier JS sum was itself compute-bound at about a third of this.
// Checked for warm-up artifacts (2026-12-04, helper h3): the triad's destination is never
// written before, so its first pass page-faults 80 MB (200+ ms): that pass is left out, as
// before. Later passes get faster, not slower (7.7 → 6.3 ms on one thread), so the best
// pass is not an early outlier. The size matters: one thread read 70–87 GB/s from sets up to
// 16 MB (cache), ≈ 47 at 32–48 MB, 41–44 at 96–128 MB, 36 at 256 MB and 29 at 512 MB; the
// triad's 240 MB gives a lower bandwidth than the benchmark's own 88 MB would, i.e. a looser
// bound, not a tighter one. What moves the bound from round to round is the host.
// The module text is compiled with wabt (installed on demand, as for scripts/gen-*-wasm.mjs)
// by compileStream(), once per benchmark run, by the orchestrator.
import { loadWabt } from "./mlp-gemm-wat.mjs";

const L = (name) => `(local.get ${name})`;
const STREAM_WAT = `(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; a[i] = b[i] + s·c[i] over bytes (a multiple of 64) from the three addresses
  (func (export "triad") (param $a i32) (param $b i32) (param $c i32) (param $bytes i32) (param $s f64)
    (local $i i32) (local $v v128)
    (local.set $v (f64x2.splat ${L("$s")}))
    (block $done (loop $l
      (br_if $done (i32.ge_u ${L("$i")} ${L("$bytes")}))
      ${[0, 16, 32, 48]
        .map(
          (o) =>
            `(v128.store offset=${o} (i32.add ${L("$a")} ${L("$i")}) (f64x2.add (v128.load offset=${o} (i32.add ${L("$b")} ${L("$i")})) (f64x2.mul ${L("$v")} (v128.load offset=${o} (i32.add ${L("$c")} ${L("$i")})))))`,
        )
        .join("\n      ")}
      (local.set $i (i32.add ${L("$i")} (i32.const 64)))
      (br $l))))
  ;; Σ a[i] over bytes (a multiple of 64), four f64x2 accumulators
  (func (export "sum") (param $a i32) (param $bytes i32) (result f64)
    (local $i i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $done (loop $l
      (br_if $done (i32.ge_u ${L("$i")} ${L("$bytes")}))
      ${[0, 1, 2, 3]
        .map(
          (k) =>
            `(local.set $s${k} (f64x2.add ${L(`$s${k}`)} (v128.load offset=${16 * k} (i32.add ${L("$a")} ${L("$i")}))))`,
        )
        .join("\n      ")}
      (local.set $i (i32.add ${L("$i")} (i32.const 64)))
      (br $l)))
    (local.set $s0 (f64x2.add (f64x2.add ${L("$s0")} ${L("$s1")}) (f64x2.add ${L("$s2")} ${L("$s3")})))
    (f64.add (f64x2.extract_lane 0 ${L("$s0")}) (f64x2.extract_lane 1 ${L("$s0")})))
  ;; Σ over rows as the linear kernel reads them for p = 10 (wasm-linear.ts's row pairs): each
  ;; pair's 160 bytes of x (ten 16-byte loads), then its two y (one load), one stream, no
  ;; arithmetic but the sums
  (func (export "rows") (param $x i32) (param $pairs i32) (result f64)
    (local $i i32) (local $s0 v128) (local $s1 v128)
    (block $done (loop $l
      (br_if $done (i32.ge_u ${L("$i")} ${L("$pairs")}))
      ${Array.from({ length: 11 }, (_, k) => k)
        .map(
          (k) =>
            `(local.set $s${k % 2} (f64x2.add ${L(`$s${k % 2}`)} (v128.load offset=${16 * k} ${L("$x")})))`,
        )
        .join("\n      ")}
      (local.set $x (i32.add ${L("$x")} (i32.const 176)))
      (local.set $i (i32.add ${L("$i")} (i32.const 1)))
      (br $l)))
    (local.set $s0 (f64x2.add ${L("$s0")} ${L("$s1")}))
    (f64.add (f64x2.extract_lane 0 ${L("$s0")}) (f64x2.extract_lane 1 ${L("$s0")}))))
`;

/** The stream module's bytes (wabt compiles the text above). */
export async function compileStream(wabtDir) {
  const { wabt } = await loadWabt(wabtDir);
  const mod = wabt.parseWat("stream.wat", STREAM_WAT, { simd: true, threads: true });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/**
 * One part of a stream job (runs in the workers, as source: self-contained). control[7]: 0 =
 * triad over this part's share of the arrays, 1 = sum of this part's share of b and c, 2 = the
 * linear kernel's reads (p = 10) over this part's share of the rows: row pairs of 176 bytes
 * from the start of b (running on into c).
 */
function streamPart(part, d, control) {
  if (d.k === undefined) {
    const module = new WebAssembly.Module(d.bytes);
    d.k = new WebAssembly.Instance(module, { env: { memory: d.memory } }).exports;
  }
  const blocks = d.bytes64 / 64; // 64-byte blocks per array, split among the parts
  const from = Math.floor((part * blocks) / d.parts) * 64;
  const to = Math.floor(((part + 1) * blocks) / d.parts) * 64;
  const op = Atomics.load(control, 7);
  if (op === 0) {
    d.k.triad(d.a + from, d.b + from, d.c + from, to - from, 3);
  } else if (op === 2) {
    const pairs = d.bytes64 / 160; // doubles / 20: the pairs of doubles / 10 rows of p = 10
    const q0 = Math.floor((part * pairs) / d.parts);
    const q1 = Math.floor(((part + 1) * pairs) / d.parts);
    d.sums[part] = d.k.rows(d.b + q0 * 176, q1 - q0);
  } else {
    d.sums[part] = d.k.sum(d.b + from, to - from) + d.k.sum(d.c + from, to - from);
  }
}

/**
 * Best (and median) triad and read bandwidth (GB/s, 10⁹ bytes) over `reps` passes on `threads` threads, with
 * three arrays of `doubles` values each (far larger than the caches). STREAM counts a triad as
 * 24 bytes per element (two reads, one write); the sum reads 16 (two arrays); the kernel's
 * reads (`rowsGBs`) 88 a row of p = 10 (x's 80, y's 8), over `doubles`/10 rows in pairs.
 */
export async function measureBandwidth(createSharedPool, bytes, threads, doubles, reps) {
  const size = doubles * 8;
  const pages = Math.ceil((3 * size + 64) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const sums = new Float64Array(new SharedArrayBuffer(threads * 8));
  const d = { memory, bytes, parts: threads, a: 0, b: size, c: 2 * size, bytes64: size, sums };
  new Float64Array(memory.buffer, size, 2 * doubles).fill(1);
  const pool = createSharedPool(threads, streamPart.toString(), d);
  // Pass times in ms, the first pass left out: it warms up (the triad's first pass also
  // page-faults its destination, never written before: 200+ ms for 80 MB).
  const passes = (op) => {
    Atomics.store(pool.control, 7, op);
    const ms = [];
    for (let r = 0; r < reps + 1; r++) {
      const t0 = performance.now();
      pool.run((part) => streamPart(part, d, pool.control));
      if (r > 0) ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b);
  };
  try {
    const triad = passes(0);
    const read = passes(1);
    const rows = passes(2);
    const gbs = (bytesPerDouble, ms) => (bytesPerDouble * doubles) / (ms * 1e6);
    const mid = (a) => a[a.length >> 1];
    return {
      triadGBs: gbs(24, triad[0]),
      readGBs: gbs(16, read[0]),
      rowsGBs: gbs(8.8, rows[0]),
      triadMedianGBs: gbs(24, mid(triad)),
      readMedianGBs: gbs(16, mid(read)),
      rowsMedianGBs: gbs(8.8, mid(rows)),
    };
  } finally {
    await pool.close();
  }
}
