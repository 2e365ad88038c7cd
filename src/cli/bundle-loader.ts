import {
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
import vm from "node:vm";

// Loads the CLI bundle's CommonJS files (dist-cli/**/*.cjs, scripts/bundle-cli.mjs) with V8's
// code cache: compiling them was ≈ 15 % of a fit's start-up, and the first run's lazily
// compiled functions as much again (bench/startup/RESULTS.md). Node 22.1+ does this itself
// (module.enableCompileCache, called by main.ts); Node 20 has no such call. The cache of a file
// is written once, as the first process that loads it exits (so it also holds the functions
// that run compiled), to $XDG_CACHE_HOME/biograd (~/.cache/biograd), named by the file's name,
// place, size and modification time; V8 rejects a cache from another V8 or a source of another length, and the
// file is then compiled as usual. Nothing here changes what runs: only how long compiling takes.
// BIOGRAD_CODE_CACHE=0 turns it off.

interface NodeModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
}
interface ModuleStatics {
  _cache: Record<string, NodeModule | undefined>;
  _nodeModulePaths(dir: string): string[];
  wrap(source: string): string;
  new (id: string): NodeModule;
}

const M = Module as unknown as ModuleStatics;
// The user's cache directory (not the temporary one: a server's uploads and tests' scratch
// directories live there, and another user's files are never read).
export const CACHE_ROOT = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "biograd");
/** Whether compiled code is kept at all (`BIOGRAD_CODE_CACHE=0` turns it off). */
export const CODE_CACHE_ON = process.env.BIOGRAD_CODE_CACHE !== "0";
const DIR = join(CACHE_ROOT, `code-cache-${process.versions.v8}`);
const toWrite: { script: vm.Script; file: string }[] = [];

/** `require(filename)` for a bundle file, compiled with its cached code when there is one. */
export function loadBundle(filename: string): unknown {
  const loaded = M._cache[filename];
  if (loaded) return loaded.exports;
  if (!CODE_CACHE_ON) {
    return createRequire(filename)(filename);
  }
  const source = readFileSync(filename, "utf8");
  const { size, mtimeMs } = statSync(filename);
  // The parent directory in the name: dist-cli/queue/parts.cjs and serve/parts.cjs differ; and
  // the install's place (a hash of the path): two installs of biograd (global and a project's,
  // or two checkouts) would otherwise each remove the other's cache as older, and compile every
  // time they alternate.
  const name = `${basename(dirname(filename))}-${basename(filename)}-${pathHash(filename)}`;
  const file = join(DIR, `${name}-${size}-${Math.trunc(mtimeMs)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  // Code compiled here has no import(): the bundles import packages through main.ts's
  // globalThis.__biogradImport (scripts/bundle-cli.mjs).
  const script = new vm.Script(M.wrap(source), { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    if (toWrite.length === 0) process.once("exit", writeCaches);
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

/** Each new cache, written whole under a temporary name and renamed (processes run at once). */
function writeCaches(): void {
  try {
    mkdirSync(DIR, { recursive: true });
    for (const { script, file } of toWrite) {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, file);
    }
    // A rebuilt or upgraded bundle leaves its old caches behind: only the newest of a name stays
    // (the directory would otherwise grow with every build).
    const kept = new Set(toWrite.map(({ file }) => basename(file)));
    const names = new Set([...kept].map((name) => name.replace(/-\d+-\d+\.bin$/, "-")));
    // And the caches named before the install's place was in the name (`cli-fit.cjs-SIZE-TIME`).
    for (const name of kept) names.add(name.replace(/-[0-9a-f]{8}-\d+-\d+\.bin$/, "-"));
    for (const entry of readdirSync(DIR)) {
      const stem = entry.replace(/-\d+-\d+\.bin$/, "-");
      if (entry.endsWith(".bin") && names.has(stem) && !kept.has(entry)) rmSync(join(DIR, entry));
    }
  } catch {
    // A read-only or full temporary directory: the next run compiles as this one did.
  }
}

/** FNV-1a of the text, 8 hex digits: names a file's cache by where it is (no crypto to load). */
function pathHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
