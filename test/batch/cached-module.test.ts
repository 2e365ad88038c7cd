import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scratch } from "../io/snapshot.js";

// The worker's job module from its CommonJS bundle with V8's code cache (cached-module.ts).
// The cache directory is read from XDG_CACHE_HOME when the module loads: a fresh copy per test.
async function freshLoader(cacheHome: string) {
  vi.stubEnv("XDG_CACHE_HOME", cacheHome);
  vi.resetModules();
  return import("../../src/batch/cached-module.js");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

function bundleFile(dir: string, body: string): string {
  const file = join(dir, "job.cjs");
  writeFileSync(file, body);
  writeFileSync(join(dir, "job.js"), "export {};\n");
  return file;
}

describe("cached job modules", () => {
  it("finds the .cjs beside a job module's .js entry, and none for a .js alone", async () => {
    const dir = scratch();
    const { bundledJobModule } = await freshLoader(join(dir, "cache"));
    writeFileSync(join(dir, "alone.js"), "export {};\n");
    expect(bundledJobModule(pathToFileURL(join(dir, "alone.js")).href)).toBeNull();
    const file = bundleFile(dir, "exports.twice = (x) => 2 * x;\n");
    expect(bundledJobModule(pathToFileURL(join(dir, "job.js")).href)).toBe(file);
  });

  it("compiles from the source first, then from the cache it wrote", async () => {
    const dir = scratch();
    const cache = join(dir, "cache");
    const file = bundleFile(
      dir,
      "const path = require('node:path');\nexports.twice = (x) => 2 * x;\nexports.dir = path.basename(__dirname);\n",
    );
    const { loadCachedModule } = await freshLoader(cache);
    const first = loadCachedModule(file);
    expect(first.fromCache).toBe(false);
    expect((first.exports.twice as (x: number) => number)(21)).toBe(42);
    expect(first.exports.dir).toBe(dir.split("/").pop());
    first.saveCache();
    const written = readdirSync(join(cache, "biograd"), { recursive: true }).map(String);
    expect(written.some((f) => f.endsWith(".bin"))).toBe(true);
    const second = loadCachedModule(file);
    expect(second.fromCache).toBe(true);
    expect((second.exports.twice as (x: number) => number)(4)).toBe(8);
  });

  it("compiles anew when the file changed (another length and time)", async () => {
    const dir = scratch();
    const cache = join(dir, "cache");
    const file = bundleFile(dir, "exports.v = 1;\n");
    const { loadCachedModule } = await freshLoader(cache);
    loadCachedModule(file).saveCache();
    expect(loadCachedModule(file).fromCache).toBe(true);
    writeFileSync(file, "exports.v = 22;\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = loadCachedModule(file);
    expect(changed.fromCache).toBe(false);
    expect(changed.exports.v).toBe(22);
    // The new build's cache replaces the old one.
    changed.saveCache();
    const bins = readdirSync(join(cache, "biograd"), { recursive: true }).map(String);
    expect(bins.filter((f) => f.endsWith(".bin"))).toHaveLength(1);
    expect(loadCachedModule(file).fromCache).toBe(true);
  });

  it("is off with BIOGRAD_CODE_CACHE=0", async () => {
    const dir = scratch();
    vi.stubEnv("BIOGRAD_CODE_CACHE", "0");
    const { loadCachedModule } = await freshLoader(join(dir, "cache"));
    const file = bundleFile(dir, "exports.v = 3;\n");
    const loaded = loadCachedModule(file);
    loaded.saveCache();
    expect(loaded.exports.v).toBe(3);
    expect(loadCachedModule(file).fromCache).toBe(false);
  });
});
