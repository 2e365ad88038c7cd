import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import type vm from "node:vm";
import { CODE_CACHE_ON, compileWithCache, writeCodeCaches } from "../core/code-cache.js";

// Loads the CLI bundle's CommonJS files (dist-cli/**/*.cjs, scripts/bundle-cli.mjs) with V8's
// code cache (src/core/code-cache.ts). Node 22.1+ does this itself (module.enableCompileCache,
// called by main.ts); Node 20 has no such call. A file's cache is written once, as the first
// process that loads it exits, so it also holds the functions that run compiled.

interface NodeModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
}
interface ModuleStatics {
  _cache: Record<string, NodeModule | undefined>;
  _nodeModulePaths(dir: string): string[];
  new (id: string): NodeModule;
}

const M = Module as unknown as ModuleStatics;
const toWrite: { script: vm.Script; file: string }[] = [];

/** `require(filename)` for a bundle file, compiled with its cached code when there is one. */
export function loadBundle(filename: string): unknown {
  const loaded = M._cache[filename];
  if (loaded) return loaded.exports;
  if (!CODE_CACHE_ON) {
    return createRequire(filename)(filename);
  }
  // Code compiled here has no import(): the bundles import packages through main.ts's
  // globalThis.__biogradImport (scripts/bundle-cli.mjs).
  const { script, file, stale } = compileWithCache(filename, readFileSync(filename, "utf8"));
  if (stale) {
    if (toWrite.length === 0) process.once("exit", () => writeCodeCaches(toWrite));
    toWrite.push({ script, file });
  }
  const mod = new M(filename);
  mod.filename = filename;
  mod.paths = M._nodeModulePaths(dirname(filename));
  M._cache[filename] = mod;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  try {
    wrapper.call(
      mod.exports,
      mod.exports,
      createRequire(filename),
      mod,
      filename,
      dirname(filename),
    );
  } catch (error) {
    delete M._cache[filename];
    throw error;
  }
  mod.loaded = true;
  return mod.exports;
}
