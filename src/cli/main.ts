#!/usr/bin/env node
import * as nodeModule from "node:module";
import { join } from "node:path";
import { dropStartedPool } from "../batch/pool-start.js";
import { CACHE_ROOT, CODE_CACHE_ON } from "../core/code-cache.js";
import { loadBundle } from "./bundle-loader.js";
import { startWorkersEarly } from "./early-workers.js";
import { processIO } from "./io.js";

// Node 22.1+ keeps V8's compiled code of the modules loaded after this call on disk (in the
// same cache directory as on Node 20, and off with the same BIOGRAD_CODE_CACHE=0), so the next
// run skips most compiling: V8's code cache saved 20-30 % of a fit's start-up on Node 20
// (bench/startup/RESULTS.md). The program is imported afterwards, not with the static imports
// above, so that its modules are the ones cached.
const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
if (enableCompileCache) {
  if (CODE_CACHE_ON) enableCompileCache(join(CACHE_ROOT, "node-compile-cache"));
}
// On Node 20 the bundle's CommonJS files are loaded by bundle-loader.ts, which keeps V8's code
// cache itself (scripts/bundle-cli.mjs makes each bundle call this global when present).
else {
  const global = globalThis as { __biogradLoadBundle?: unknown; __biogradImport?: unknown };
  global.__biogradLoadBundle = loadBundle;
  // Code compiled by the loader cannot import(): a bundle's import of a package (vega, resvg)
  // is done here.
  global.__biogradImport = (specifier: string) => import(specifier);
}

// processIO turns a failing stdout (a closed pipe, a full disk) into one line on stderr and
// exit code 1, also when the failure is reported after runCli has returned. The process is
// left to exit by itself, so pending output is flushed first.
const io = processIO();
const argv = process.argv.slice(2);
// A grouped fit's worker threads start before the program loads (early-workers.ts).
startWorkersEarly(argv);
const { runCli } = await import("./program.js");
let code: number;
try {
  code = await runCli(argv, io);
} finally {
  // Started for a command that ended before its executor took the threads.
  await dropStartedPool();
}
process.exitCode = Math.max(code, Number(process.exitCode ?? 0));
