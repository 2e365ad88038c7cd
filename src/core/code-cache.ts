import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { Module } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";

// V8's code cache for biograd's bundled CommonJS files: the CLI's commands
// (src/cli/bundle-loader.ts) and a worker thread's job module (src/batch/cached-module.ts).
// Node 20 keeps no compiled code between runs; compiling the bundles was ≈ 15 % of a fit's
// start-up and a third of a worker's (bench/startup/RESULTS.md). A file's cache is named by the
// file's directory and name, a hash of its place (two installs must not remove each other's
// caches), its size and modification time; V8 rejects a cache from another V8 or a source of
// another length, and the file is then compiled as usual. Nothing here changes what runs.

/** The user's cache directory (not the temporary one: another user's files are never read). */
export const CACHE_ROOT = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "biograd");
/** Whether compiled code is kept at all (`BIOGRAD_CODE_CACHE=0` turns it off). */
export const CODE_CACHE_ON = process.env.BIOGRAD_CODE_CACHE !== "0";
const DIR = join(CACHE_ROOT, `code-cache-${process.versions.v8}`);

export interface CachedScript {
  /** The file's text wrapped as Node wraps a CommonJS module, compiled. */
  script: vm.Script;
  /** Where its cache lives. */
  file: string;
  /** No usable cache was found: write one once the module has run (`writeCodeCaches`). */
  stale: boolean;
}

/** Compiles a CommonJS file's `source` with its cached code when V8 takes it. */
export function compileWithCache(filename: string, source: string, prefix = ""): CachedScript {
  const { size, mtimeMs } = statSync(filename);
  const name = `${prefix}${basename(dirname(filename))}-${basename(filename)}-${pathHash(filename)}`;
  const file = join(DIR, `${name}-${size}-${Math.trunc(mtimeMs)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  return { script, file, stale: cachedData === undefined || script.cachedDataRejected === true };
}

/**
 * Writes each script's cache whole under a temporary name and renames it (processes and threads
 * run at once), then removes the caches of the same files from older builds (the directory
 * would otherwise grow with every build), also those named before the install's place was in
 * the name. Never throws: a cache that cannot be written only means compiling next time.
 */
export function writeCodeCaches(entries: readonly Pick<CachedScript, "script" | "file">[]): void {
  try {
    mkdirSync(DIR, { recursive: true });
    for (const { script, file } of entries) {
      const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, file);
    }
    const kept = new Set(entries.map(({ file }) => basename(file)));
    const stems = new Set([...kept].map((name) => name.replace(/-\d+-\d+\.bin$/, "-")));
    for (const name of kept) stems.add(name.replace(/-[0-9a-f]{8}-\d+-\d+\.bin$/, "-"));
    for (const entry of readdirSync(DIR)) {
      const stem = entry.replace(/-\d+-\d+\.bin$/, "-");
      if (entry.endsWith(".bin") && stems.has(stem) && !kept.has(entry)) {
        rmSync(join(DIR, entry), { force: true });
      }
    }
  } catch {
    // A read-only or full cache directory: the next run compiles as this one did.
  }
}

/** FNV-1a of the text, 8 hex digits: names a file's cache by where it is (no crypto to load). */
function pathHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
