import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { CODE_CACHE_ON, compileWithCache, writeCodeCaches } from "../core/code-cache.js";

// A worker thread's job module from its CommonJS bundle (scripts/bundle-workers.mjs), compiled
// with V8's code cache (src/core/code-cache.ts, shared with the CLI's bundle loader): each new
// worker otherwise links the ES module bundle and compiles it again. The cache is written by the
// first worker that compiled without it, after its first task (so it holds the functions that
// task compiled; a pool may end the thread before any exit hook). BIOGRAD_CODE_CACHE=0: off.

/** The CommonJS bundle beside a job module's ES entry (x.js → x.cjs), or null when none. */
export function bundledJobModule(moduleUrl: string): string | null {
  if (!moduleUrl.startsWith("file:") || !moduleUrl.endsWith(".js")) return null;
  const file = `${fileURLToPath(moduleUrl).slice(0, -3)}.cjs`;
  return existsSync(file) ? file : null;
}

export interface CachedModule {
  exports: Record<string, unknown>;
  /** Whether V8 took the code cache (false: compiled from the source). */
  fromCache: boolean;
  /** Writes the code cache if this load compiled without one (call once the module has run). */
  saveCache(): void;
}

/** Loads a CommonJS bundle file, compiled from its code cache when there is one. */
export function loadCachedModule(filename: string): CachedModule {
  const require = createRequire(filename);
  if (!CODE_CACHE_ON) return { exports: require(filename), fromCache: false, saveCache: () => {} };
  const compiled = compileWithCache(filename, readFileSync(filename, "utf8"), "worker-");
  const mod = { exports: {} as Record<string, unknown> };
  const wrapper = compiled.script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, require, mod, filename, dirname(filename));
  let save = compiled.stale;
  return {
    exports: mod.exports,
    fromCache: !save,
    saveCache: () => {
      if (!save) return;
      save = false;
      writeCodeCaches([compiled]);
    },
  };
}
