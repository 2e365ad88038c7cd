// Generates src/parallel/wasm-linear-bytes.ts: the WebAssembly SIMD (f64x2) kernel of the linear
// model's full-batch sums (src/parallel/linear-partial.ts's `linearPartial`) as base64, so
// installing or building biograd never needs a WebAssembly tool. Run it only when the module
// text below changes, and commit both files:
//   node scripts/gen-linear-wasm.mjs          (--check: fail if the committed bytes differ)
// wabt is installed on demand into bench/out/mlp-wabt (git-ignored; WABT_DIR=dir elsewhere), as for
// scripts/gen-gemm-wasm.mjs, which explains why bytes are generated and committed.
//
// The module imports a shared memory (env.memory: the model's data, written once by the JS
// side, read by every thread's own instance) and exports
//   partial(x, y, p, params, order, hasOrder, start, end, out)
// with x, y, params, order, out byte addresses: for rows order[start..end) (or start..end when
// hasOrder is 0) it writes out[0..p) = Σ x_ij·r_i, out[p] = Σ r_i², out[p+1] = Σ r_i, with
// r_i = x_i·w + b − y_i, params = w (p doubles) then b.
//
// The rows lie in pairs: rows 2m and 2m + 1 are x_2m (p doubles), x_2m+1, y_2m, y_2m+1, and
// the pairs follow each other (16p + 16 bytes apart). x and y are the addresses of row 0's x
// and y (y = x + 16p). So a sweep reads one stream, not an x stream and a y stream: with two
// threads each thread's kernel took 2.9–4.1 ns a row instead of 3.4–5.1 (medians of 20
// epochs, 12 processes each, alternating; p = 10, 1,000,000 rows, /tmp harness, 2026-12-05),
// one thread the same (2.93); the benchmark's 2-thread runs got 1.10–1.19× faster
// (bench/linear-parallel-results.md). Every pair starts on a 16-byte boundary, and so does
// every row for an even p.
//
// Same sums as the JS kernel, bit for bit, in the order linear-partial.ts documents. For p = 1
// every sum is one chain in row order. For p >= 2 the order is split so that f64x2 lanes run
// it directly: a row's dot product is one vector (even-j chain from b in lane 0, odd-j chain
// from 0 in lane 1, fed by 16-byte loads of x and w; an odd p's last term joins lane 0 with 0·0
// in lane 1), then r = (even + odd) − y; Σr² and Σr are vectors whose lane 0 adds the rows at
// even positions t = k − start and lane 1 those at odd ones, joined at the end (even + odd;
// the unrolled functions for contiguous rows use the rows' own parity, as their blocks start
// at a pair: for an odd start this swaps which chain is called even, and the join adds the
// same two chains, so the sum is the same bit for bit);
// each gradient entry adds x_ij·r_i row after row (entries j, j+1 per vector). SIMD runs the
// chains side by side and never reassociates one. Plain SIMD has no FMA, so every product is
// rounded before its add, as in JS. How many rows a block holds (ROWS, even) changes no sum,
// only speed: blocks start at even positions (even rows in the unrolled functions, after an
// odd first row on its own), and the rows left after the last block run one at a time, each
// joining the chains of its parity.
// Why this order: the earlier one (one sequential chain per row's dot product, two rows per
// vector) needed a shuffle per feature and chains p adds deep. With this order and the dot
// products as a loop (below), p = 10 one thread (2026-12-04, shared host, CPU time, /tmp
// harnesses over this text and main's): in cache 3.3 → 2.9 ns a row, from memory (1,000,000
// rows) median 5.0–5.2 → 4.6–4.8. The order alone, blocks written out, gave nothing. 8-row
// blocks were faster in cache (2.4) but slower from memory (5.2–5.5 for p = 10, 18 against 10.5
// for p = 20: the blocks' back-and-forth over 8 rows seems to defeat the prefetcher), and a
// load 0.5–2 KB ahead as a software prefetch was slower too; so 4 rows. On the AMD EPYC host
// (2026-12-04) the contiguous-row functions of some p run faster with 8 or 6 rows: BLOCK_ROWS.
//
// Contiguous rows (hasOrder 0: full-batch training) with p <= UNROLLED_P go to a function
// written out for that p (`contiguousSplit`, `contiguous` for p = 1: constant row offsets);
// an order or a larger p runs the generic loop. Both compute the same chains, so the choice
// changes no bit. In the unrolled functions the dot products are written out row by row, each
// row's chain then stored to a slot the function overwrites at its end: TurboFan (V8 11.3)
// hoists every load of a straight-line block above everything but a store and spills most of
// them (seen with --print-wasm-code), and the store keeps the next row's loads below it. This
// replaced a loop over feature pairs, whose address arithmetic, counter and stack checks were
// about 40 of the 280 instructions of a 6-row block for p = 10: 240 now, 2.63 → 2.48 ns a row
// in cache, one thread (bench/linear-parallel-kernel-ab.mjs, 20,000 rows, 2026-12-04); p = 2–16
// 0–7 % faster in cache, the same or faster from memory (1,000,000 rows, p = 4, 7, 12, 16).
//
// The bytes file records the SHA-256 of the .wat text it was assembled from, so a test
// (test/parallel/wasm-linear-generator.test.ts) can tell, without wabt, that the committed
// bytes come from this script's current text: it imports `linearWat` and compares hashes.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "parallel", "wasm-linear-bytes.ts");
const L = (name) => `(local.get ${name})`;
const range = (n) => Array.from({ length: n }, (_, t) => t);
/** Bytes of a row pair (see the header): two rows' x, then their two y. */
const pairBytes = (P) => 16 * P + 16;
/** Byte offset of x of a block's row t from the block's first (even) row. */
const rowOffset = (P, t) => (t >> 1) * pairBytes(P) + (t & 1) * 8 * P;

/** SHA-256 (hex) of the module text, as recorded in the bytes file's header. */
export function watHash(wat) {
  return createHash("sha256").update(wat).digest("hex");
}

/** Feature counts with their own unrolled function for contiguous rows (see contiguous()). */
const UNROLLED_P = 16;

/** (b, 0): a row's dot product starts its even-j chain (lane 0) at b, its odd-j chain at 0. */
const BZ = `(f64x2.replace_lane 1 (f64x2.splat ${L("$b")}) (f64.const 0))`;
/** (even + odd of row A, even + odd of row B) from the two rows' (even, odd) vectors. */
const pairSum = (a, b) =>
  `(f64x2.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${L(a)} ${L(b)}) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${L(a)} ${L(b)}))`;
/**
 * Row t's r in both lanes: lane t % 2 of pair vector $r{t/2}, as one shuffle. TurboFan turns
 * `f64x2.splat (f64x2.extract_lane …)` into two or three instructions, this into one
 * (vpunpcklqdq / vpunpckhqdq of the vector with itself).
 */
const laneSplat = (t) => {
  const bytes = t % 2 === 0 ? "0 1 2 3 4 5 6 7" : "8 9 10 11 12 13 14 15";
  return `(i8x16.shuffle ${bytes} ${bytes} ${L(`$r${t >> 1}`)} ${L(`$r${t >> 1}`)})`;
};
/** The split sums' locals: Σr², Σr as (even rows, odd rows) vectors, then the odd halves. */
const SPLIT_LOCALS =
  "(local $bz v128) (local $vse v128) (local $vsr v128) (local $sseO f64) (local $srO f64) (local $odd i32)";
/** After the blocks: lane 0 to $sse/$sr (even rows), lane 1 to $sseO/$srO; the next row is even. */
const SPLIT_TO_SCALARS = `(local.set $sse (f64x2.extract_lane 0 ${L("$vse")}))
    (local.set $sseO (f64x2.extract_lane 1 ${L("$vse")}))
    (local.set $sr (f64x2.extract_lane 0 ${L("$vsr")}))
    (local.set $srO (f64x2.extract_lane 1 ${L("$vsr")}))
    (local.set $odd (i32.const 0))`;
/** A row after the blocks: r (a scalar expression) joins the chains of its parity. */
const rowSums = (r) => `(if ${L("$odd")}
        (then
          (local.set $sseO (f64.add ${L("$sseO")} (f64.mul ${r} ${r})))
          (local.set $srO (f64.add ${L("$srO")} ${r})))
        (else
          (local.set $sse (f64.add ${L("$sse")} (f64.mul ${r} ${r})))
          (local.set $sr (f64.add ${L("$sr")} ${r}))))
      (local.set $odd (i32.xor ${L("$odd")} (i32.const 1)))`;
/** The end: Σ = even rows' chain + odd rows' chain. */
const SPLIT_JOIN = `(local.set $sse (f64.add ${L("$sse")} ${L("$sseO")}))
    (local.set $sr (f64.add ${L("$sr")} ${L("$srO")}))`;

/**
 * A block's gradient update, shared by both contiguous bodies: each row's r splatted, then
 * out[j, j+1] += Σ_t x_tj·r_t over the block's rows in row order (entries j, j+1 per vector;
 * an odd p's last entry as a scalar chain).
 */
function blockGradient(P, ROWS, lane) {
  const rows = range(ROWS);
  const gPairs = range(P >> 1);
  const odd = P % 2 === 1;
  const rb = 8 * P;
  const at = (off) => `offset=${off} ${L("$a")}`;
  const out = (off) => `offset=${off} ${L("$out")}`;
  return `${rows.map((t) => `(local.set $s${t} ${laneSplat(t)})`).join("\n      ")}
      ${gPairs
        .map(
          (m) =>
            `(v128.store ${out(16 * m)} ${rows.reduce(
              (acc, t) =>
                `(f64x2.add ${acc} (f64x2.mul (v128.load ${at(rowOffset(P, t) + 16 * m)}) ${L(`$s${t}`)}))`,
              `(v128.load ${out(16 * m)})`,
            )})`,
        )
        .join("\n      ")}
      ${
        odd
          ? `(f64.store ${out(rb - 8)} ${rows.reduce(
              (acc, t) =>
                `(f64.add ${acc} (f64.mul (f64.load ${at(rowOffset(P, t) + rb - 8)}) ${lane(t)}))`,
              `(f64.load ${out(rb - 8)})`,
            )})`
          : ""
      }`;
}

/** A lone row's gradient update (after the blocks): out[j] += x_j·r with r in $q. */
function rowGradient(P) {
  const gPairs = range(P >> 1);
  const rb = 8 * P;
  const at = (off) => `offset=${off} ${L("$a")}`;
  const out = (off) => `offset=${off} ${L("$out")}`;
  return `(local.set $v (f64x2.splat ${L("$q")}))
      ${gPairs
        .map(
          (m) =>
            `(v128.store ${out(16 * m)} (f64x2.add (v128.load ${out(16 * m)}) (f64x2.mul (v128.load ${at(16 * m)}) ${L("$v")})))`,
        )
        .join("\n      ")}
      ${P % 2 === 1 ? `(f64.store ${out(rb - 8)} (f64.add (f64.load ${out(rb - 8)}) (f64.mul (f64.load ${at(rb - 8)}) ${L("$q")})))` : ""}`;
}

/**
 * The function around a contiguous body (`contiguousSplit`, `contiguous`): out cleared; an odd
 * first row on its own (`firstRow`), so that blocks start at an even row, i.e. at a pair; whole
 * blocks of ROWS rows; then the rows left one at a time (`oneRow`, with $a and $ya at the row's
 * x and y); then Σr² and Σr stored. `setup`, `afterBlocks` and `join` are the split sums' extra
 * steps (empty for the sequential ones).
 */
function contiguousFunction(
  P,
  ROWS,
  { locals, setup, block, firstRow, afterBlocks, oneRow, join },
) {
  const rb = 8 * P;
  const pb = pairBytes(P);
  const blockBytes = (ROWS / 2) * pb;
  const out = (off) => `offset=${off} ${L("$out")}`;
  /** Byte offset of row `start` from row 0: its pair, then `odd` (x: rb, y: 8) if it is odd. */
  const startAt = (odd) =>
    `(i32.add (i32.mul (i32.shr_u ${L("$start")} (i32.const 1)) (i32.const ${pb})) (i32.mul (i32.and ${L("$start")} (i32.const 1)) (i32.const ${odd})))`;
  return `
  (func $p${P} (param $x i32) (param $y i32) (param $params i32) (param $start i32) (param $end i32) (param $out i32)
    ${locals}
    (local $left i32) (local $par i32)
    (local.set $b (f64.load offset=${rb} ${L("$params")}))${setup}
    (memory.fill ${L("$out")} (i32.const 0) (i32.const ${rb}))
    (local.set $a (i32.add ${L("$x")} ${startAt(rb)}))
    (local.set $ya (i32.add ${L("$y")} ${startAt(8)}))
    ;; an odd first row (the second of its pair) on its own; the next row starts a pair
    (if (i32.and (i32.and ${L("$start")} (i32.const 1)) (i32.lt_u ${L("$start")} ${L("$end")})) (then
      ${firstRow}
      (local.set $a (i32.add ${L("$a")} (i32.const ${rb + 16})))
      (local.set $ya (i32.add ${L("$ya")} (i32.const ${pb - 8})))
      (local.set $start (i32.add ${L("$start")} (i32.const 1)))))
    (local.set $left (i32.rem_u (i32.sub ${L("$end")} ${L("$start")}) (i32.const ${ROWS})))
    (local.set $blocksEnd (i32.add ${L("$a")} (i32.mul (i32.div_u (i32.sub ${L("$end")} ${L("$start")}) (i32.const ${ROWS})) (i32.const ${blockBytes}))))
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.ge_u ${L("$a")} ${L("$blocksEnd")}))
      ${block}
      (local.set $a (i32.add ${L("$a")} (i32.const ${blockBytes})))
      (local.set $ya (i32.add ${L("$ya")} (i32.const ${blockBytes})))
      (br $blocks)))${afterBlocks}
    ;; the rows left ($left < ROWS), from an even row: even row x at a pair's start, y at +${2 * rb}
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.eqz ${L("$left")}))
      ${oneRow}
      ;; the next row: this pair's odd row (x +${rb}, y +8) or the next pair's even one
      (local.set $a (i32.add ${L("$a")} (i32.add (i32.const ${rb}) (i32.shl ${L("$par")} (i32.const 4)))))
      (local.set $ya (i32.add ${L("$ya")} (select (i32.const ${pb - 8}) (i32.const 8) ${L("$par")})))
      (local.set $par (i32.xor ${L("$par")} (i32.const 1)))
      (local.set $left (i32.sub ${L("$left")} (i32.const 1)))
      (br $rows)))${join}
    (f64.store ${out(rb)} ${L("$sse")})
    (f64.store ${out(rb + 8)} ${L("$sr")}))`;
}

/**
 * `partial` for contiguous rows (hasOrder 0) and exactly P >= 2 features, with the split sums
 * (see the header), unrolled over the features: the rows of a block lie at fixed offsets from
 * one address (`rowOffset`: the block starts at a pair), so every load takes its offset as an
 * immediate (no address arithmetic, no inner loops). Each row's dot product is one f64x2 chain
 * over its feature pairs (16-byte loads of x, w loaded once a block, no shuffles, P/2 adds deep
 * instead of P), the gradient runs as in `contiguous`.
 */
function contiguousSplit(P, ROWS) {
  const rows = range(ROWS);
  const pairs = range(ROWS / 2);
  const gPairs = range(P >> 1);
  const odd = P % 2 === 1;
  const rb = 8 * P;
  const lane = (t) => `(f64x2.extract_lane ${t % 2} ${L(`$r${t >> 1}`)})`;
  const at = (off) => `offset=${off} ${L("$a")}`;
  const wLoad = (m) => `(v128.load offset=${16 * m} ${L("$params")})`;
  const wLast = `(v128.load64_zero offset=${rb - 8} ${L("$params")})`;
  /** Row t's (even, odd) chains into `e`, x at byte offset `base` from $a, w pair m as `w(m)`. */
  const dot = (e, base, w) =>
    [
      ...gPairs.map(
        (m) =>
          `(local.set ${e} (f64x2.add ${L(e)} (f64x2.mul (v128.load ${at(base + 16 * m)}) ${w(m)})))`,
      ),
      ...(odd
        ? [
            `(local.set ${e} (f64x2.add ${L(e)} (f64x2.mul (v128.load64_zero ${at(base + rb - 8)}) ${wLast})))`,
          ]
        : []),
    ].join("\n      ");
  const locals = [
    "(local $a i32) (local $ya i32) (local $blocksEnd i32)",
    "(local $b f64) (local $sse f64) (local $sr f64) (local $q f64)",
    "(local $v v128) (local $e v128)",
    gPairs.map((m) => `(local $w${m} v128)`).join(" "),
    pairs.map((u) => `(local $r${u} v128)`).join(" "),
    rows.map((t) => `(local $s${t} v128) (local $e${t} v128)`).join(" "),
    SPLIT_LOCALS,
  ].join("\n    ");
  // Each row's chain is stored to out[p..p+2) (Σr², Σr: written for real only at the end) as
  // a scheduling barrier: TurboFan keeps loads in order with stores, so the next row's loads
  // stay below it instead of being hoisted to the block's top and spilled.
  const block = `
      ${gPairs.map((m) => `(local.set $w${m} ${wLoad(m)})`).join("\n      ")}
      ${rows
        .map(
          (t) => `(local.set $e${t} ${L("$bz")})
      ${dot(`$e${t}`, rowOffset(P, t), (m) => L(`$w${m}`))}
      (v128.store offset=${rb} ${L("$out")} ${L(`$e${t}`)})`,
        )
        .join("\n      ")}
      ${pairs
        .map(
          (u) =>
            `(local.set $r${u} (f64x2.sub ${pairSum(`$e${2 * u}`, `$e${2 * u + 1}`)} (v128.load offset=${u * pairBytes(P)} ${L("$ya")})))
      (local.set $vse (f64x2.add ${L("$vse")} (f64x2.mul ${L(`$r${u}`)} ${L(`$r${u}`)})))
      (local.set $vsr (f64x2.add ${L("$vsr")} ${L(`$r${u}`)}))`,
        )
        .join("\n      ")}
      ${blockGradient(P, ROWS, lane)}`;
  const rowR = `
      (local.set $e ${L("$bz")})
      ${dot("$e", 0, wLoad)}
      (local.set $q (f64.sub (f64.add (f64x2.extract_lane 0 ${L("$e")}) (f64x2.extract_lane 1 ${L("$e")})) (f64.load ${L("$ya")})))`;
  // An odd first row starts the odd rows' chains, lane 1 of the block vectors (0 + r² and
  // 0 + r, as a block adds them; lane 0 adds 0 + 0).
  const firstRow = `${rowR}
      (local.set $vse (f64x2.add ${L("$vse")} (f64x2.replace_lane 1 (v128.const i64x2 0 0) (f64.mul ${L("$q")} ${L("$q")}))))
      (local.set $vsr (f64x2.add ${L("$vsr")} (f64x2.replace_lane 1 (v128.const i64x2 0 0) ${L("$q")})))
      ${rowGradient(P)}`;
  const oneRow = `${rowR}
      ${rowSums(L("$q"))}
      ${rowGradient(P)}`;
  return contiguousFunction(P, ROWS, {
    locals,
    setup: `\n    (local.set $bz ${BZ})`,
    block,
    firstRow,
    afterBlocks: `\n    ${SPLIT_TO_SCALARS}`,
    oneRow,
    join: `\n    ${SPLIT_JOIN}`,
  });
}

/**
 * `partial` for contiguous rows (hasOrder 0) and P = 1 (the sequential sums; written for any
 * P, unrolled over the features): the rows of a block lie at fixed offsets from one address
 * (the block starts at a pair; for P = 1 a pair's two x are one 16-byte load), so every load
 * takes its offset as an immediate (no address arithmetic, no inner loops, no
 * per-row index). The dot products read each row 16 bytes at a time and pair the two rows'
 * values with a shuffle (one load per row per two features instead of a lane load per value).
 * The operations on every sum and their order are the generic body's, so the sums are the same
 * bit for bit. (Measured on the reference machine, p = 10, in cache: 9.2 → 11.3 GFLOP/s; keeping
 * the gradient in locals instead of memory was slower: V8 spills them every block.)
 */
function contiguous(P, ROWS) {
  const rows = range(ROWS);
  const pairs = range(ROWS / 2);
  const rb = 8 * P;
  const lane = (t) => `(f64x2.extract_lane ${t % 2} ${L(`$r${t >> 1}`)})`;
  const at = (off) => `offset=${off} ${L("$a")}`;
  /** (x[row 2u, j], x[row 2u+1, j]) for the dot product of row pair u. */
  const xPair = (u, j) => {
    const o0 = u * pairBytes(P) + 8 * j;
    const o1 = o0 + rb;
    if (P === 1) return `(v128.load ${at(o0)})`; // the pair's two x are adjacent
    if (j % 2 === 1) {
      return `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${L(`$x${u}a`)} ${L(`$x${u}b`)})`;
    }
    if (j + 1 < P) {
      return `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.tee $x${u}a (v128.load ${at(o0)})) (local.tee $x${u}b (v128.load ${at(o1)})))`;
    }
    return `(v128.load64_lane offset=${o1} 1 ${L("$a")} (v128.load64_zero ${at(o0)}))`;
  };
  const locals = [
    "(local $a i32) (local $ya i32) (local $blocksEnd i32)",
    "(local $b f64) (local $sse f64) (local $sr f64) (local $q f64) (local $v v128) (local $w v128)",
    pairs
      .map(
        (u) => `(local $q${u} v128) (local $r${u} v128) (local $x${u}a v128) (local $x${u}b v128)`,
      )
      .join(" "),
    rows.map((t) => `(local $s${t} v128)`).join(" "),
  ].join("\n    ");
  const block = `
      ${pairs.map((u) => `(local.set $q${u} (f64x2.splat ${L("$b")}))`).join("\n      ")}
      ${range(P)
        .map(
          (j) => `(local.set $w (v128.load64_splat offset=${8 * j} ${L("$params")}))
      ${pairs
        .map(
          (u) =>
            `(local.set $q${u} (f64x2.add ${L(`$q${u}`)} (f64x2.mul ${xPair(u, j)} ${L("$w")})))`,
        )
        .join("\n      ")}`,
        )
        .join("\n      ")}
      ${pairs
        .map(
          (u) =>
            `(local.set $r${u} (f64x2.sub ${L(`$q${u}`)} (v128.load offset=${u * pairBytes(P)} ${L("$ya")})))`,
        )
        .join("\n      ")}
      ${pairs
        .map(
          (u) => `(local.set $v (f64x2.mul ${L(`$r${u}`)} ${L(`$r${u}`)}))
      (local.set $sse (f64.add ${L("$sse")} (f64x2.extract_lane 0 ${L("$v")})))
      (local.set $sse (f64.add ${L("$sse")} (f64x2.extract_lane 1 ${L("$v")})))`,
        )
        .join("\n      ")}
      ${rows.map((t) => `(local.set $sr (f64.add ${L("$sr")} ${lane(t)}))`).join("\n      ")}
      ${blockGradient(P, ROWS, lane)}`;
  const oneRow = `
      (local.set $q ${L("$b")})
      ${range(P)
        .map(
          (j) =>
            `(local.set $q (f64.add ${L("$q")} (f64.mul (f64.load ${at(8 * j)}) (f64.load offset=${8 * j} ${L("$params")}))))`,
        )
        .join("\n      ")}
      (local.set $q (f64.sub ${L("$q")} (f64.load ${L("$ya")})))
      (local.set $sse (f64.add ${L("$sse")} (f64.mul ${L("$q")} ${L("$q")})))
      (local.set $sr (f64.add ${L("$sr")} ${L("$q")}))
      ${rowGradient(P)}`;
  return contiguousFunction(P, ROWS, {
    locals,
    setup: "",
    block,
    firstRow: oneRow, // one chain per sum, in row order: a first row is just first
    afterBlocks: "",
    oneRow,
    join: "",
  });
}

/**
 * A generic body (any p, an order or contiguous rows) as function `name` with the exported
 * signature. `split` false: the sequential sums (p = 1); true: the split sums (p >= 2, see the
 * header): each row's dot product as an even-j lane and an odd-j lane, Σr² and Σr as an
 * even-row lane and an odd-row lane.
 */
function generic(name, split, ROWS) {
  const rows = range(ROWS);
  const pairs = range(ROWS / 2);

  /** (x[row a, j], x[row b, j]) from the byte addresses of the two values. */
  const lanes = (a, b) => `(v128.load64_lane 1 ${b} (v128.load64_zero ${a}))`;
  /** Lane `t % 2` of pair vector $r{t/2} as a scalar. */
  const lane = (t) => `(f64x2.extract_lane ${t % 2} ${L(`$r${t >> 1}`)})`;
  /** Byte addresses of row i's x and y (i an i32 expression evaluated twice: a local). */
  const rowX = (i) =>
    `(i32.add ${L("$x")} (i32.add (i32.mul (i32.shr_u ${i} (i32.const 1)) ${L("$pb")}) (i32.mul (i32.and ${i} (i32.const 1)) ${L("$rb")})))`;
  const rowY = (i) =>
    `(i32.add ${L("$y")} (i32.add (i32.mul (i32.shr_u ${i} (i32.const 1)) ${L("$pb")}) (i32.shl (i32.and ${i} (i32.const 1)) (i32.const 3))))`;
  const yPair = (u) => lanes(rowY(L(`$i${2 * u}`)), rowY(L(`$i${2 * u + 1}`)));

  // q = b + Σ_j x_ij·w_j: sequential, two rows per vector (lanes from the two rows) ...
  const dotSeq = `
      ${pairs.map((a) => `(local.set $q${a} (f64x2.splat ${L("$b")}))`).join("\n      ")}
      (local.set $jb (i32.const 0))
      (loop $dot
        (local.set $w (v128.load64_splat (i32.add ${L("$params")} ${L("$jb")})))
        ${pairs
          .map(
            (a) =>
              `(local.set $q${a} (f64x2.add ${L(`$q${a}`)} (f64x2.mul ${lanes(
                `(i32.add ${L(`$o${2 * a}`)} ${L("$jb")})`,
                `(i32.add ${L(`$o${2 * a + 1}`)} ${L("$jb")})`,
              )} ${L("$w")})))`,
          )
          .join("\n        ")}
        (local.set $jb (i32.add ${L("$jb")} (i32.const 8)))
        (br_if $dot (i32.lt_u ${L("$jb")} ${L("$rb")})))
      ;; r = q − y; Σr² and Σr in row order
      ${pairs.map((a) => `(local.set $r${a} (f64x2.sub ${L(`$q${a}`)} ${yPair(a)}))`).join("\n      ")}
      ${pairs
        .map(
          (a) => `(local.set $v (f64x2.mul ${L(`$r${a}`)} ${L(`$r${a}`)}))
      (local.set $sse (f64.add ${L("$sse")} (f64x2.extract_lane 0 ${L("$v")})))
      (local.set $sse (f64.add ${L("$sse")} (f64x2.extract_lane 1 ${L("$v")})))`,
        )
        .join("\n      ")}
      ${rows.map((t) => `(local.set $sr (f64.add ${L("$sr")} ${lane(t)}))`).join("\n      ")}`;

  // ... or split: one vector per row, (even-j chain, odd-j chain) read 16 bytes at a time
  const dotSplit = `
      ${rows.map((t) => `(local.set $e${t} ${L("$bz")})`).join("\n      ")}
      (local.set $jb (i32.const 0))
      (block $dotDone (loop $dot
        (br_if $dotDone (i32.ge_u ${L("$jb")} ${L("$pairEnd")}))
        (local.set $w (v128.load (i32.add ${L("$params")} ${L("$jb")})))
        ${rows
          .map(
            (t) =>
              `(local.set $e${t} (f64x2.add ${L(`$e${t}`)} (f64x2.mul (v128.load (i32.add ${L(`$o${t}`)} ${L("$jb")})) ${L("$w")})))`,
          )
          .join("\n        ")}
        (local.set $jb (i32.add ${L("$jb")} (i32.const 16)))
        (br $dot)))
      ;; an odd p: the last x_ij·w_j joins the even chain (the odd lane adds 0·0)
      (if (i32.lt_u ${L("$jb")} ${L("$rb")}) (then
        (local.set $w (v128.load64_zero (i32.add ${L("$params")} ${L("$jb")})))
        ${rows
          .map(
            (t) =>
              `(local.set $e${t} (f64x2.add ${L(`$e${t}`)} (f64x2.mul (v128.load64_zero (i32.add ${L(`$o${t}`)} ${L("$jb")})) ${L("$w")})))`,
          )
          .join("\n        ")}))
      ;; r = (even + odd) − y, two rows per vector; Σr², Σr: even rows in lane 0, odd in lane 1
      ${pairs
        .map(
          (u) =>
            `(local.set $r${u} (f64x2.sub ${pairSum(`$e${2 * u}`, `$e${2 * u + 1}`)} ${yPair(u)}))
      (local.set $vse (f64x2.add ${L("$vse")} (f64x2.mul ${L(`$r${u}`)} ${L(`$r${u}`)})))
      (local.set $vsr (f64x2.add ${L("$vsr")} ${L(`$r${u}`)}))`,
        )
        .join("\n      ")}`;

  const block = `
      ;; rows of this block: i_t = order[k + t] or k + t; o_t the byte address of row i_t
      ${rows
        .map(
          (t) => `(local.set $i${t} (if (result i32) ${L("$hasOrder")}
        (then (i32.load offset=${4 * t} (i32.add ${L("$order")} (i32.shl ${L("$k")} (i32.const 2)))))
        (else (i32.add ${L("$k")} (i32.const ${t})))))
      (local.set $o${t} ${rowX(L(`$i${t}`))})`,
        )
        .join("\n      ")}
      ${split ? dotSplit : dotSeq}
      ;; g_j += x_ij·r_i row after row, entries j and j+1 per vector
      ${rows.map((t) => `(local.set $s${t} ${laneSplat(t)})`).join("\n      ")}
      (local.set $jb (i32.const 0))
      (block $pairsDone (loop $grad
        (br_if $pairsDone (i32.ge_u ${L("$jb")} ${L("$pairEnd")}))
        (local.set $v (v128.load (i32.add ${L("$out")} ${L("$jb")})))
        ${rows
          .map(
            (t) =>
              `(local.set $v (f64x2.add ${L("$v")} (f64x2.mul (v128.load (i32.add ${L(`$o${t}`)} ${L("$jb")})) ${L(`$s${t}`)})))`,
          )
          .join("\n        ")}
        (v128.store (i32.add ${L("$out")} ${L("$jb")}) ${L("$v")})
        (local.set $jb (i32.add ${L("$jb")} (i32.const 16)))
        (br $grad)))
      ;; an odd p: the last entry on its own
      (if (i32.lt_u ${L("$jb")} ${L("$rb")}) (then
        (local.set $g (f64.load (i32.add ${L("$out")} ${L("$jb")})))
        ${rows
          .map(
            (t) =>
              `(local.set $g (f64.add ${L("$g")} (f64.mul (f64.load (i32.add ${L(`$o${t}`)} ${L("$jb")})) ${lane(t)})))`,
          )
          .join("\n        ")}
        (f64.store (i32.add ${L("$out")} ${L("$jb")}) ${L("$g")})))`;

  const rowDotSeq = `
      (local.set $g ${L("$b")})
      (local.set $jb (i32.const 0))
      (loop $dot1
        (local.set $g (f64.add ${L("$g")} (f64.mul (f64.load (i32.add ${L("$o0")} ${L("$jb")})) (f64.load (i32.add ${L("$params")} ${L("$jb")})))))
        (local.set $jb (i32.add ${L("$jb")} (i32.const 8)))
        (br_if $dot1 (i32.lt_u ${L("$jb")} ${L("$rb")})))
      (local.set $g (f64.sub ${L("$g")} (f64.load ${rowY(L("$i0"))})))
      (local.set $sse (f64.add ${L("$sse")} (f64.mul ${L("$g")} ${L("$g")})))
      (local.set $sr (f64.add ${L("$sr")} ${L("$g")}))`;
  const rowDotSplit = `
      (local.set $e0 ${L("$bz")})
      (local.set $jb (i32.const 0))
      (block $dot1Done (loop $dot1
        (br_if $dot1Done (i32.ge_u ${L("$jb")} ${L("$pairEnd")}))
        (local.set $e0 (f64x2.add ${L("$e0")} (f64x2.mul (v128.load (i32.add ${L("$o0")} ${L("$jb")})) (v128.load (i32.add ${L("$params")} ${L("$jb")})))))
        (local.set $jb (i32.add ${L("$jb")} (i32.const 16)))
        (br $dot1)))
      (if (i32.lt_u ${L("$jb")} ${L("$rb")}) (then
        (local.set $e0 (f64x2.add ${L("$e0")} (f64x2.mul (v128.load64_zero (i32.add ${L("$o0")} ${L("$jb")})) (v128.load64_zero (i32.add ${L("$params")} ${L("$jb")})))))))
      (local.set $g (f64.sub (f64.add (f64x2.extract_lane 0 ${L("$e0")}) (f64x2.extract_lane 1 ${L("$e0")})) (f64.load ${rowY(L("$i0"))})))
      ${rowSums(L("$g"))}`;
  const oneRow = `
      (local.set $i0 (if (result i32) ${L("$hasOrder")}
        (then (i32.load (i32.add ${L("$order")} (i32.shl ${L("$k")} (i32.const 2)))))
        (else ${L("$k")})))
      (local.set $o0 ${rowX(L("$i0"))})
      ${split ? rowDotSplit : rowDotSeq}
      (local.set $jb (i32.const 0))
      (loop $grad1
        (f64.store (i32.add ${L("$out")} ${L("$jb")})
          (f64.add (f64.load (i32.add ${L("$out")} ${L("$jb")})) (f64.mul (f64.load (i32.add ${L("$o0")} ${L("$jb")})) ${L("$g")})))
        (local.set $jb (i32.add ${L("$jb")} (i32.const 8)))
        (br_if $grad1 (i32.lt_u ${L("$jb")} ${L("$rb")})))`;

  const locals = [
    "(local $rb i32) (local $pb i32) (local $pairEnd i32) (local $k i32) (local $jb i32)",
    rows.map((t) => `(local $i${t} i32) (local $o${t} i32)`).join(" "),
    "(local $b f64) (local $sse f64) (local $sr f64) (local $g f64) (local $w v128) (local $v v128)",
    pairs.map((a) => `(local $q${a} v128) (local $r${a} v128)`).join(" "),
    rows.map((t) => `(local $s${t} v128) (local $e${t} v128)`).join(" "),
    SPLIT_LOCALS,
  ].join("\n    ");

  return `
  (func $${name} (param $x i32) (param $y i32) (param $p i32) (param $params i32)
    (param $order i32) (param $hasOrder i32) (param $start i32) (param $end i32) (param $out i32)
    ${locals}
    (local.set $rb (i32.shl ${L("$p")} (i32.const 3)))
    (local.set $pb (i32.add (i32.shl ${L("$rb")} (i32.const 1)) (i32.const 16)))
    (local.set $pairEnd (i32.and ${L("$rb")} (i32.const -16)))
    (local.set $b (f64.load (i32.add ${L("$params")} ${L("$rb")})))
    (local.set $bz ${BZ})
    (memory.fill ${L("$out")} (i32.const 0) ${L("$rb")})
    (local.set $k ${L("$start")})
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.gt_u (i32.add ${L("$k")} (i32.const ${ROWS})) ${L("$end")}))
      ${block}
      (local.set $k (i32.add ${L("$k")} (i32.const ${ROWS})))
      (br $blocks)))
    ${split ? SPLIT_TO_SCALARS : ""}
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u ${L("$k")} ${L("$end")}))
      ${oneRow}
      (local.set $k (i32.add ${L("$k")} (i32.const 1)))
      (br $rows)))
    ${split ? SPLIT_JOIN : ""}
    (f64.store (i32.add ${L("$out")} ${L("$rb")}) ${L("$sse")})
    (f64.store offset=8 (i32.add ${L("$out")} ${L("$rb")}) ${L("$sr")}))`;
}

/**
 * Rows a block of the unrolled functions for contiguous rows, for the p where another count
 * than the default measured faster (any even count gives the same sums). 2026-12-04, AMD EPYC
 * host, one thread, the kernels of 4-, 6- and 8-row builds alternating pass by pass over the
 * same 1,000,000 rows (/tmp harness; load 6–11 from other work, so from-memory medians are
 * noisy and the 10th percentiles and in-cache passes say more), ns a row:
 *   p = 1: 8 rows 1.02 / 6 rows 1.17 / 4 rows 1.41 from memory, 0.96 / 1.08 / 1.32 in cache;
 *   p = 2: 1.04 / 1.14 / 1.37 from memory;
 *   p = 9: 6 rows 3.66 against 4 rows 5.42 (10th percentile); p = 10: in cache 2.61 against
 *   2.92, from memory 10th percentiles lower in 4 of 5 runs, and two threads in lockstep
 *   (bench/linear-parallel-lockstep.mjs) 3.92 against 4.0 (medians of 6 pairs);
 *   p = 7, 8 (bench/linear-parallel-kernel-ab.mjs, load 9): 6 rows in cache 2.29 against 2.45
 *   and 2.22 against 2.38, from memory 10th percentiles 2.50 against 2.63 and 2.85 against 2.97;
 *   p = 3–6: 4 rows as fast or faster; p >= 11: 6 and 8 rows up to 2× slower from memory (as 8
 *   rows were for p = 10: blocks past about 512 bytes seem to lose the prefetcher), so 4.
 * Those were measured before the rows lay in pairs. Re-measured for p = 10 on the pairs
 * (2026-12-05, two threads in lockstep over 1,000,000 rows, 4 processes each, /tmp harness):
 * 6 rows 3.08–3.65 ns a row per thread, 4 rows 3.15–4.09, 8 rows 3.69–4.86; the others not.
 */
const BLOCK_ROWS = { 1: 8, 2: 8, 7: 6, 8: 6, 9: 6, 10: 6 };

/**
 * The module text with `ROWS` rows a block (even), except the contiguous-row functions listed
 * in `perP` (BLOCK_ROWS unless a uniform count is asked for).
 */
export function linearWat(ROWS = 4, perP = ROWS === 4 ? BLOCK_ROWS : {}) {
  const rowsFor = (P) => perP[P] ?? ROWS;
  const wat = `(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; p >= 1 (the JS side runs nothing for p = 0)
  (func (export "partial") (param $x i32) (param $y i32) (param $p i32) (param $params i32)
    (param $order i32) (param $hasOrder i32) (param $start i32) (param $end i32) (param $out i32)
    ;; contiguous rows and p <= ${UNROLLED_P}: the unrolled function for this p
    (if (i32.eqz ${L("$hasOrder")}) (then
      ${range(UNROLLED_P)
        .map(
          (u) => `(if (i32.eq ${L("$p")} (i32.const ${u + 1})) (then
        (call $p${u + 1} ${L("$x")} ${L("$y")} ${L("$params")} ${L("$start")} ${L("$end")} ${L("$out")})
        (return)))`,
        )
        .join("\n      ")}))
    (if (i32.eq ${L("$p")} (i32.const 1)) (then
      (call $sequential ${L("$x")} ${L("$y")} ${L("$p")} ${L("$params")} ${L("$order")} ${L("$hasOrder")} ${L("$start")} ${L("$end")} ${L("$out")})
      (return)))
    (call $split ${L("$x")} ${L("$y")} ${L("$p")} ${L("$params")} ${L("$order")} ${L("$hasOrder")} ${L("$start")} ${L("$end")} ${L("$out")}))
  ${generic("sequential", false, ROWS)}
  ${generic("split", true, ROWS)}
  ${contiguous(1, rowsFor(1))}
  ${range(UNROLLED_P - 1)
    .map((u) => contiguousSplit(u + 2, rowsFor(u + 2)))
    .join("\n")})
`;
  return wat;
}

/** The bytes file's text for assembled module bytes (base64). */
export function bytesFileText(base64, version, rows, wat) {
  const byP = Object.entries(BLOCK_ROWS).map(([p, r]) => `${r} for p = ${p}`);
  const table = rows === 4 ? `; contiguous rows: ${byP.join(", ")}` : "";
  return `// Generated by scripts/gen-linear-wasm.mjs (wabt ${version}, ${rows} rows a block) from the .wat
// text in that script: the linear model's full-batch sums in f64x2 ("partial"${table}).
// Do not edit by hand; change the generator and run \`node scripts/gen-linear-wasm.mjs\`.
// wat sha256: ${watHash(wat)}
export const LINEAR_F64X2_WASM =
  "${base64}";
`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}

async function main() {
  const ROWS = Number(process.env.LINEAR_WASM_ROWS ?? 4);
  const wat = linearWat(ROWS);
  if (process.argv.includes("--wat")) {
    process.stdout.write(wat);
    process.exit(0);
  }
  const { loadWabt } = await import("../bench/mlp-gemm-wat.mjs");
  // WABT_DIR: where wabt is (or gets) installed, for a checkout whose bench/out is shared.
  const wabtDir = process.env.WABT_DIR ?? join(here, "..", "bench", "out", "mlp-wabt");
  const { wabt, version } = await loadWabt(wabtDir);
  const mod = wabt.parseWat("linear-f64x2.wat", wat, {
    simd: true,
    threads: true,
    bulk_memory: true,
  });
  let bytes;
  try {
    bytes = mod.toBinary({ write_debug_names: true }).buffer; // names show in --cpu-prof
  } finally {
    mod.destroy();
  }
  const base64 = Buffer.from(bytes).toString("base64");
  const text = bytesFileText(base64, version, ROWS, wat);
  if (process.argv.includes("--check")) {
    if (readFileSync(target, "utf8") !== text) {
      console.error(`${target} is out of date: run node scripts/gen-linear-wasm.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.error(`wrote ${target} (${base64.length} base64 characters)`);
  }
}
