// Generates src/nn/kernels/gemm-wasm-bytes.ts: the WebAssembly SIMD (f64x2) GEMM micro-kernel
// as base64, so installing or building biograd never needs a WebAssembly tool. Run it only when
// the module text below changes, and commit both files:
//   node scripts/gen-gemm-wasm.mjs
// The text is compiled with wabt (npm `wabt`, installed on demand into bench/out/mlp-wabt,
// git-ignored — not a dependency of the package). Why generate and commit bytes rather than
// hand-assemble: the .wat below is readable and reviewable, the ~600 bytes it compiles to are
// not; a committed generator keeps the two in step (`--check` fails if they differ).
//
// The module (addresses and strides in bytes, operands packed by the JS caller):
//   kernel(ap, bp, kc, c, ldc):   C[4×4 at c, row stride ldc] += Apanel(kc×4) · Bstrip(kc×4)
//   panelProduct(pa, pb, kc, panels, strips, c, ldc): for each strip s of B (kept in L1) and
//     each panel r of A, kernel(pa + r·kc·32, pb + s·kc·32, kc, c + r·4·ldc + s·32, ldc).
// A panel holds, for each p, the 4 values op(A)[4r..4r+4, p]; a strip the 4 values
// op(B)[p, 4s..4s+4]. Eight f64x2 accumulators start at zero and sum p in order; plain SIMD has
// no FMA, so each product is f64x2.mul then f64x2.add (rounded twice, as V8's scalar code), and
// each C entry gets C + Σ_p a·b in the same order as gemm-blocked.ts: bit-identical results.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWabt, watToWasm } from "../bench/mlp-gemm-wat.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "nn", "kernels", "gemm-wasm-bytes.ts");
const L = (name) => `(local.get ${name})`;

function kernelWat() {
  const body = [
    "(local.set $b0 (v128.load offset=0 (local.get $bp)))",
    "(local.set $b1 (v128.load offset=16 (local.get $bp)))",
  ];
  for (let r = 0; r < 4; r++) {
    body.push(`(local.set $a (v128.load64_splat offset=${8 * r} ${L("$ap")}))`);
    for (let v = 0; v < 2; v++) {
      body.push(
        `(local.set $c${r}${v} (f64x2.add ${L(`$c${r}${v}`)} (f64x2.mul ${L("$a")} ${L(`$b${v}`)})))`,
      );
    }
  }
  const stores = [];
  for (let r = 0; r < 4; r++) {
    stores.push(`(local.set $row (i32.add ${L("$c")} (i32.mul ${L("$ldc")} (i32.const ${r}))))`);
    for (let v = 0; v < 2; v++) {
      stores.push(
        `(v128.store offset=${16 * v} ${L("$row")} (f64x2.add (v128.load offset=${16 * v} ${L("$row")}) ${L(`$c${r}${v}`)}))`,
      );
    }
  }
  const acc = [];
  for (let r = 0; r < 4; r++) for (let v = 0; v < 2; v++) acc.push(`(local $c${r}${v} v128)`);
  return `  (func $kernel (export "kernel") (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
    (local $end i32) (local $row i32) (local $a v128) (local $b0 v128) (local $b1 v128)
    ${acc.join(" ")}
    (local.set $end (i32.add ${L("$bp")} (i32.shl ${L("$kc")} (i32.const 5))))
    (loop $p
      ${body.join("\n      ")}
      (local.set $ap (i32.add ${L("$ap")} (i32.const 32)))
      (local.set $bp (i32.add ${L("$bp")} (i32.const 32)))
      (br_if $p (i32.lt_u ${L("$bp")} ${L("$end")})))
    ${stores.join("\n    ")})`;
}

const panelProductWat = `  (func (export "panelProduct") (param $pa i32) (param $pb i32) (param $kc i32) (param $panels i32) (param $strips i32) (param $c i32) (param $ldc i32)
    (local $s i32) (local $r i32) (local $step i32)
    (local.set $step (i32.shl ${L("$kc")} (i32.const 5)))
    (block $ds (loop $ls
      (br_if $ds (i32.ge_u ${L("$s")} ${L("$strips")}))
      (local.set $r (i32.const 0))
      (block $dr (loop $lr
        (br_if $dr (i32.ge_u ${L("$r")} ${L("$panels")}))
        (call $kernel
          (i32.add ${L("$pa")} (i32.mul ${L("$r")} ${L("$step")}))
          (i32.add ${L("$pb")} (i32.mul ${L("$s")} ${L("$step")}))
          ${L("$kc")}
          (i32.add ${L("$c")} (i32.add (i32.mul ${L("$r")} (i32.shl ${L("$ldc")} (i32.const 2))) (i32.shl ${L("$s")} (i32.const 5))))
          ${L("$ldc")})
        (local.set $r (i32.add ${L("$r")} (i32.const 1)))
        (br $lr)))
      (local.set $s (i32.add ${L("$s")} (i32.const 1)))
      (br $ls))))`;

// Packing, on operands already copied into wasm memory (addresses and row lengths in bytes).
// packStrips: for p < kc and g < groups, the 4 doubles at src + p·ld + 32g go to
//   dst + g·kc·32 + p·32 (op(B) row-major, or op(A) stored transposed: 4 values of a stored row).
//   Rows are taken 4 at a time, so each group's destination is written 128 bytes in a row
//   while the 4 source rows stay in L1.
// packRows4: for g < groups and p < kc, the doubles at src + (4g + t)·ld + 8p, t = 0…3, go to
//   dst + g·kc·32 + p·32 (op(A) row-major, or op(B) stored transposed: one value of each of 4
//   rows), 2 values of p at a time with shuffles. Only copies: the values are not changed.
const copy4 = (d, s) => `(v128.store offset=${d} ${L("$d")} (v128.load offset=${s} ${L("$s")}))`;
function stripRows(rows) {
  const body = [];
  for (let q = 0; q < rows; q++) {
    const src = q === 0 ? "$s" : `$s${q}`;
    body.push(
      `(v128.store offset=${32 * q} ${L("$d")} (v128.load ${L(src)}))`,
      `(v128.store offset=${32 * q + 16} ${L("$d")} (v128.load offset=16 ${L(src)}))`,
    );
  }
  return body.join("\n        ");
}
const packStripsWat = `  (func (export "packStrips") (param $src i32) (param $ld i32) (param $kc i32) (param $groups i32) (param $dst i32)
    (local $p i32) (local $g i32) (local $s i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $d i32) (local $gstep i32)
    (local.set $gstep (i32.shl ${L("$kc")} (i32.const 5)))
    (block $done4 (loop $p4
      (br_if $done4 (i32.gt_u (i32.add ${L("$p")} (i32.const 4)) ${L("$kc")}))
      (local.set $s (i32.add ${L("$src")} (i32.mul ${L("$p")} ${L("$ld")})))
      (local.set $d (i32.add ${L("$dst")} (i32.shl ${L("$p")} (i32.const 5))))
      (local.set $g (i32.const 0))
      (block $dg (loop $lg
        (br_if $dg (i32.ge_u ${L("$g")} ${L("$groups")}))
        (local.set $s1 (i32.add ${L("$s")} ${L("$ld")}))
        (local.set $s2 (i32.add ${L("$s1")} ${L("$ld")}))
        (local.set $s3 (i32.add ${L("$s2")} ${L("$ld")}))
        ${stripRows(4)}
        (local.set $s (i32.add ${L("$s")} (i32.const 32)))
        (local.set $d (i32.add ${L("$d")} ${L("$gstep")}))
        (local.set $g (i32.add ${L("$g")} (i32.const 1)))
        (br $lg)))
      (local.set $p (i32.add ${L("$p")} (i32.const 4)))
      (br $p4)))
    (block $done (loop $p1
      (br_if $done (i32.ge_u ${L("$p")} ${L("$kc")}))
      (local.set $s (i32.add ${L("$src")} (i32.mul ${L("$p")} ${L("$ld")})))
      (local.set $d (i32.add ${L("$dst")} (i32.shl ${L("$p")} (i32.const 5))))
      (local.set $g (i32.const 0))
      (block $dg1 (loop $lg1
        (br_if $dg1 (i32.ge_u ${L("$g")} ${L("$groups")}))
        ${copy4(0, 0)}
        ${copy4(16, 16)}
        (local.set $s (i32.add ${L("$s")} (i32.const 32)))
        (local.set $d (i32.add ${L("$d")} ${L("$gstep")}))
        (local.set $g (i32.add ${L("$g")} (i32.const 1)))
        (br $lg1)))
      (local.set $p (i32.add ${L("$p")} (i32.const 1)))
      (br $p1))))`;

const LO = "0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23";
const HI = "8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31";
const packRows4Wat = `  (func (export "packRows4") (param $src i32) (param $ld i32) (param $kc i32) (param $groups i32) (param $dst i32)
    (local $p i32) (local $g i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $d i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (block $dg (loop $lg
      (br_if $dg (i32.ge_u ${L("$g")} ${L("$groups")}))
      (local.set $r0 (i32.add ${L("$src")} (i32.mul (i32.shl ${L("$g")} (i32.const 2)) ${L("$ld")})))
      (local.set $r1 (i32.add ${L("$r0")} ${L("$ld")}))
      (local.set $r2 (i32.add ${L("$r1")} ${L("$ld")}))
      (local.set $r3 (i32.add ${L("$r2")} ${L("$ld")}))
      (local.set $d (i32.add ${L("$dst")} (i32.mul ${L("$g")} (i32.shl ${L("$kc")} (i32.const 5)))))
      (local.set $p (i32.const 0))
      (block $d2 (loop $l2
        (br_if $d2 (i32.gt_u (i32.add ${L("$p")} (i32.const 2)) ${L("$kc")}))
        (local.set $v0 (v128.load ${L("$r0")}))
        (local.set $v1 (v128.load ${L("$r1")}))
        (local.set $v2 (v128.load ${L("$r2")}))
        (local.set $v3 (v128.load ${L("$r3")}))
        (v128.store offset=0 ${L("$d")} (i8x16.shuffle ${LO} ${L("$v0")} ${L("$v1")}))
        (v128.store offset=16 ${L("$d")} (i8x16.shuffle ${LO} ${L("$v2")} ${L("$v3")}))
        (v128.store offset=32 ${L("$d")} (i8x16.shuffle ${HI} ${L("$v0")} ${L("$v1")}))
        (v128.store offset=48 ${L("$d")} (i8x16.shuffle ${HI} ${L("$v2")} ${L("$v3")}))
        (local.set $r0 (i32.add ${L("$r0")} (i32.const 16)))
        (local.set $r1 (i32.add ${L("$r1")} (i32.const 16)))
        (local.set $r2 (i32.add ${L("$r2")} (i32.const 16)))
        (local.set $r3 (i32.add ${L("$r3")} (i32.const 16)))
        (local.set $d (i32.add ${L("$d")} (i32.const 64)))
        (local.set $p (i32.add ${L("$p")} (i32.const 2)))
        (br $l2)))
      (if (i32.lt_u ${L("$p")} ${L("$kc")})
        (then
          (f64.store offset=0 ${L("$d")} (f64.load ${L("$r0")}))
          (f64.store offset=8 ${L("$d")} (f64.load ${L("$r1")}))
          (f64.store offset=16 ${L("$d")} (f64.load ${L("$r2")}))
          (f64.store offset=24 ${L("$d")} (f64.load ${L("$r3")}))))
      (local.set $g (i32.add ${L("$g")} (i32.const 1)))
      (br $lg))))`;

const wat = `(module
  (memory (export "memory") 1)
${kernelWat()}
${panelProductWat}
${packStripsWat}
${packRows4Wat})
`;

const { wabt, version } = await loadWabt(join(here, "..", "bench", "out", "mlp-wabt"));
const base64 = Buffer.from(watToWasm(wabt, "gemm-f64x2.wat", wat)).toString("base64");
const text = `// Generated by scripts/gen-gemm-wasm.mjs (wabt ${version}) from the .wat text in that script:
// a 4×4 f64x2 GEMM micro-kernel ("kernel"), its strip/panel loop ("panelProduct"), and the
// packing of operands already in wasm memory ("packStrips", "packRows4").
// Do not edit by hand; change the generator and run \`node scripts/gen-gemm-wasm.mjs\`.
export const GEMM_F64X2_WASM =
  "${base64}";
`;
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== text) {
    console.error(`${target} is out of date: run node scripts/gen-gemm-wasm.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.error(`wrote ${target} (${base64.length} base64 characters)`);
}
