import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratch } from "../io/snapshot.js";

// The built CLI's worker threads load the grouped fit's job module from its CommonJS bundle
// (scripts/bundle-workers.mjs, run by `npm run build`, which `npm test` runs first) with V8's
// code cache (src/batch/cached-module.ts): the cache appears after the first run, and the
// results and errors are those of the in-thread run.
const ROOT = join(import.meta.dirname, "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const BUNDLE = join(ROOT, "dist-cli/tasks/fit-groups-chunk.cjs");

function curves(bad: { group: number; point: number } | null): string {
  const lines = ["compound,logconc,response"];
  for (let g = 0; g < 300; g++) {
    [-9, -8, -7, -6, -5, -4].forEach((x, i) => {
      const y = 10 + 80 / (1 + Math.exp(-(x + 6.5) * 1.3)) + (((g * 7 + i * 3) % 5) - 2) * 0.5;
      const text = bad && bad.group === g && bad.point === i ? "12abc" : y.toFixed(4);
      lines.push(`C${String(g).padStart(4, "0")},${x},${text}`);
    });
  }
  return `${lines.join("\n")}\n`;
}

function runFit(dir: string, csv: string, workers: number, out: string) {
  const args = [MAIN, "fit", csv, "--group", "compound", "--model", "4pl", "--x", "logconc"];
  args.push("--y", "response", "--fast", "--workers", String(workers), "--quiet", "--out", out);
  return spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: join(dir, "cache") },
  });
}

const cached = (dir: string) =>
  existsSync(join(dir, "cache"))
    ? readdirSync(join(dir, "cache"), { recursive: true })
        .map(String)
        .filter((f) => /worker-tasks-fit-groups-chunk\.cjs-.*\.bin$/.test(f))
    : [];

describe("worker threads from the CommonJS job bundle", () => {
  it("writes the code cache once and fits as the in-thread run does", () => {
    expect(existsSync(BUNDLE), "dist-cli/tasks/fit-groups-chunk.cjs missing: npm run build").toBe(
      true,
    );
    const dir = scratch();
    const csv = join(dir, "curves.csv");
    writeFileSync(csv, curves(null));
    const outs = [0, 2, 2].map((w, k) => {
      const out = join(dir, `out-${k}.csv`);
      const r = runFit(dir, csv, w, out);
      expect(r.status, r.stderr).toBe(0);
      // No cache before a worker ran; one after the first run on workers, the same one after.
      expect(cached(dir)).toHaveLength(k === 0 ? 0 : 1);
      return readFileSync(out, "utf8");
    });
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
  }, 60_000);

  it("names a bad number's file:line:column from a worker as in the thread", () => {
    const dir = scratch();
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, curves({ group: 290, point: 3 }));
    const want = `${csv}:${2 + 290 * 6 + 3}:3: column "response": expected a number, got "12abc"`;
    for (const workers of [0, 2]) {
      const r = runFit(dir, csv, workers, join(dir, "out.csv"));
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`biograd: ${want}`);
    }
  }, 60_000);
});
