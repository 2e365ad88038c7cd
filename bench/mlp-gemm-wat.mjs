// A small WebAssembly SIMD (f64x2) GEMM for the MLP benchmark's experiment (issue 4): the same
// operation and strided operands as src/nn/kernels' blockedProduct,
//   C (m×n, row-major) += op(A)·op(B),  op(A)_ip = A[i·ars + p·acs],  op(B)_pj = B[p·brs + j·bcs]
// GotoBLAS-style: op(A) is packed in panels of MR rows ([p][MR], contiguous), op(B) in strips of
// NR columns ([p][NR]); an MR×NR register tile of MR·NR/2 f64x2 accumulators runs over kc ≤ KC.
// Plain SIMD has no FMA, so each product is f64x2.mul + f64x2.add (rounded twice, as V8's scalar
// code). The module text is generated for a tile size, so variants can be compared; the caller
// (mlp-gemm.mjs) drives the k/j/i block loops and needs m % MR = 0 and n % NR = 0.
// Strides and addresses are in bytes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * The wabt.js instance from `dir` (git-ignored, e.g. bench/out/mlp-wabt), installed there with
 * npm on first use; never into the project's package.json.
 */
export async function loadWabt(dir) {
  if (!existsSync(join(dir, "node_modules", "wabt", "package.json"))) {
    console.error(`wabt: installing into ${dir} …`);
    mkdirSync(dir, { recursive: true });
    const args = [
      "install",
      "--prefix",
      dir,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "wabt@1.0.39",
    ];
    if (spawnSync("npm", args, { stdio: "inherit" }).status !== 0) {
      throw new Error("wabt: npm install failed");
    }
  }
  const require = createRequire(join(dir, "package.json"));
  return { wabt: await require("wabt")(), version: require("wabt/package.json").version };
}

/** Compiles module text to a binary (SIMD, and relaxed SIMD when asked). */
export function watToWasm(wabt, name, text, relaxed = false) {
  const mod = wabt.parseWat(name, text, { simd: true, relaxed_simd: relaxed });
  try {
    return mod.toBinary({ write_debug_names: true }).buffer; // names show in --cpu-prof
  } finally {
    mod.destroy();
  }
}

/** The .wat text of a module exporting memory, packA, packB and kernel for an MR×NR tile. */
export function gemmWat({ mr = 4, nr = 4, pages = 256, fma = false } = {}) {
  if (nr % 2) throw new Error("nr must be even (f64x2 lanes)");
  const nv = nr / 2;
  const acc = [];
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) acc.push(`$c${r}_${v}`);
  const L = (name) => `(local.get ${name})`;
  const madd = (c, a, b) =>
    fma
      ? `(local.set ${c} (f64x2.relaxed_madd ${L(a)} ${L(b)} ${L(c)}))`
      : `(local.set ${c} (f64x2.add ${L(c)} (f64x2.mul ${L(a)} ${L(b)})))`;

  // packA: panels of mr rows; for each p the mr values op(A)[i0+r, p].
  const packARows = Array.from(
    { length: mr },
    (_, r) =>
      `(f64.store offset=${8 * r} ${L("$d")} (f64.load (i32.add ${L("$src")} (i32.mul ${L("$ars")} (i32.const ${r})))))`,
  ).join("\n          ");
  // packB: one strip of nr columns; for each p the nr values op(B)[p, c].
  const packBCols = Array.from(
    { length: nr },
    (_, c) =>
      `(f64.store offset=${8 * c} ${L("$d")} (f64.load (i32.add ${L("$src")} (i32.mul ${L("$bcs")} (i32.const ${c})))))`,
  ).join("\n        ");

  const body = [];
  for (let v = 0; v < nv; v++)
    body.push(`(local.set $b${v} (v128.load offset=${16 * v} ${L("$bp")}))`);
  for (let r = 0; r < mr; r++) {
    body.push(`(local.set $a (v128.load64_splat offset=${8 * r} ${L("$ap")}))`);
    for (let v = 0; v < nv; v++) body.push(madd(`$c${r}_${v}`, "$a", `$b${v}`));
  }
  const stores = [];
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < nv; v++) {
      const at = `(i32.add ${L("$c")} (i32.add (i32.mul ${L("$ldc")} (i32.const ${r})) (i32.const ${16 * v})))`;
      stores.push(`(v128.store ${at} (f64x2.add (v128.load ${at}) ${L(`$c${r}_${v}`)}))`);
    }
  }
  return `(module
  (memory (export "memory") ${pages})
  ;; Packs op(A)[0..m) × [0..k) from a (byte strides ars, acs) into dst: panels of ${mr} rows.
  (func $packA (export "packA") (param $a i32) (param $ars i32) (param $acs i32) (param $m i32) (param $k i32) (param $dst i32)
    (local $i i32) (local $p i32) (local $src i32) (local $d i32)
    (local.set $d ${L("$dst")})
    (block $di (loop $li
      (br_if $di (i32.ge_u ${L("$i")} ${L("$m")}))
      (local.set $src (i32.add ${L("$a")} (i32.mul ${L("$i")} ${L("$ars")})))
      (local.set $p (i32.const 0))
      (block $dp (loop $lp
        (br_if $dp (i32.ge_u ${L("$p")} ${L("$k")}))
          ${packARows}
        (local.set $d (i32.add ${L("$d")} (i32.const ${8 * mr})))
        (local.set $src (i32.add ${L("$src")} ${L("$acs")}))
        (local.set $p (i32.add ${L("$p")} (i32.const 1)))
        (br $lp)))
      (local.set $i (i32.add ${L("$i")} (i32.const ${mr})))
      (br $li))))
  ;; Packs op(B)[0..k) × [0..${nr}) from b (byte strides brs, bcs) into dst as k rows of ${nr}.
  (func $packB (export "packB") (param $b i32) (param $brs i32) (param $bcs i32) (param $k i32) (param $dst i32)
    (local $p i32) (local $src i32) (local $d i32)
    (local.set $d ${L("$dst")})
    (local.set $src ${L("$b")})
    (block $dp (loop $lp
      (br_if $dp (i32.ge_u ${L("$p")} ${L("$k")}))
        ${packBCols}
      (local.set $d (i32.add ${L("$d")} (i32.const ${8 * nr})))
      (local.set $src (i32.add ${L("$src")} ${L("$brs")}))
      (local.set $p (i32.add ${L("$p")} (i32.const 1)))
      (br $lp))))
  ;; C[${mr}×${nr} at c, row stride ldc bytes] += packed A panel (ap) · packed B strip (bp), k ≥ 1.
  (func $kernel (export "kernel") (param $ap i32) (param $bp i32) (param $k i32) (param $c i32) (param $ldc i32)
    (local $bend i32) (local $a v128) ${Array.from({ length: nv }, (_, v) => `(local $b${v} v128)`).join(" ")}
    ${acc.map((c) => `(local ${c} v128)`).join(" ")}
    (local.set $bend (i32.add ${L("$bp")} (i32.mul ${L("$k")} (i32.const ${8 * nr}))))
    (loop $lk
      ${body.join("\n      ")}
      (local.set $ap (i32.add ${L("$ap")} (i32.const ${8 * mr})))
      (local.set $bp (i32.add ${L("$bp")} (i32.const ${8 * nr})))
      (br_if $lk (i32.lt_u ${L("$bp")} ${L("$bend")})))
    ${stores.join("\n    ")}))
`;
}
