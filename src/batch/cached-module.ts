import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

// A worker thread's job module from its CommonJS bundle (scripts/bundle-workers.mjs), compiled
// with V8's code cache: each new worker otherwise links the ES module bundle and compiles it
// again (Node 20 keeps no code cache for workers). The cache is the CLI's
// (src/cli/bundle-loader.ts, which this layer may not import): $XDG_CACHE_HOME/biograd, one
// file per V8, source name, place, size and modification time; V8 rejects a stale one and the
// file is compiled as usual. It is written by the first worker that compiled without it, after
// its first task (so it holds the functions that task compiled). BIOGRAD_CODE_CACHE=0: off.

const CACHE_ON = process.env.BIOGRAD_CODE_CACHE !== "0";
const DIR = join(
  process.env.XDG_CACHE_HOME || join(homedir(), ".cache"),
  "biograd",
  `code-cache-${process.versions.v8}`,
);

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
  if (!CACHE_ON) return { exports: require(filename), fromCache: false, saveCache: () => {} };
  const source = readFileSync(filename, "utf8");
  const { size, mtimeMs } = statSync(filename);
  const name = `worker-${basename(dirname(filename))}-${basename(filename)}-${hash(filename)}-`;
  const file = join(DIR, `${name}${size}-${Math.trunc(mtimeMs)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  const mod = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, require, mod, filename, dirname(filename));
  let save = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: mod.exports,
    fromCache: !save,
    saveCache: () => {
      if (!save) return;
      save = false;
      try {
        // Whole under a temporary name, then renamed: other workers and processes read it.
        mkdirSync(DIR, { recursive: true });
        const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, file);
        // The caches of this file's earlier builds: never read again.
        for (const old of readdirSync(DIR)) {
          if (old.startsWith(name) && old.endsWith(".bin") && join(DIR, old) !== file) {
            rmSync(join(DIR, old), { force: true });
          }
        }
      } catch {
        // A cache that cannot be written only means compiling next time.
      }
    },
  };
}

/** A short hash of the file's place: two installs keep two caches. */
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
