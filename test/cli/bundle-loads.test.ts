import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { scratch } from "../io/snapshot.js";

// What the bundled CLI (scripts/bundle-cli.mjs; `npm test` builds it first) loads for a fit
// and a grouped fit: its own files, and no package it does not use. A preloaded hook lists
// every CommonJS file required (the bundle's files but main.js, and the packages), at exit.
const ROOT = join(import.meta.dirname, "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const PUROMYCIN = join(ROOT, "examples/puromycin.csv");
const TREATED = join(ROOT, "examples/puromycin-treated.csv");
const MODULES = join(ROOT, "dist-cli/modules.json");

/** Packages that a fit or a grouped fit on one thread has no use for. */
const HEAVY = ["bullmq", "ioredis", "hono", "@hono/node-server", "vega", "vega-lite", "mathjs"];

const HOOK = `
process.on("exit", () =>
  require("node:fs").writeFileSync(process.env.RECORD_TO, JSON.stringify(Object.keys(require.cache))));
`;

function loaded(args: string[]): { files: string[]; packages: Set<string> } {
  const dir = scratch();
  writeFileSync(join(dir, "hook.cjs"), HOOK);
  const out = join(dir, "loaded.json");
  const r = spawnSync(process.execPath, ["-r", join(dir, "hook.cjs"), MAIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, RECORD_TO: out },
  });
  expect(r.status, r.stderr).toBe(0);
  const paths = [...new Set(JSON.parse(readFileSync(out, "utf8")) as string[])];
  const packages = new Set<string>();
  for (const p of paths) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (pkg) packages.add(pkg[1]!);
  }
  const own = paths.filter((p) => p.startsWith(ROOT) && !p.includes("/node_modules/"));
  return { files: own.map((p) => relative(ROOT, p)).sort(), packages };
}

describe("the bundled CLI's fit paths", () => {
  it("a fit loads 4 files of the bundle, no zod and none of the heavy packages", () => {
    const { files, packages } = loaded(
      ["fit", TREATED, "--model", "mm", "--x", "conc"].concat(["--y", "rate"]),
    );
    // main.js (an ES module) is not in require's cache: the program, commander and the fit are.
    expect(files).toEqual([
      "dist-cli/cli/fit.cjs",
      "dist-cli/cli/program.cjs",
      "dist-cli/vendor/commander.cjs",
    ]);
    expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
  }, 60_000);

  it("a fit loads none of the built-in modules it has no use for (required when first used)", () => {
    const dir = scratch();
    const hook = join(dir, "builtins.cjs");
    writeFileSync(
      hook,
      `process.on("exit", () => require("node:fs").writeFileSync(process.env.RECORD_TO,
        JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")))));`,
    );
    const record = join(dir, "builtins.json");
    const builtins = (extra: string[]) => {
      // stdout to a file; stderr a pipe, which is only opened (loading node:net) if written to.
      const stdout = openSync(join(dir, "out.txt"), "w");
      const args = ["fit", TREATED, "--model", "mm", "--x", "conc", "--y", "rate", ...extra];
      const r = spawnSync(process.execPath, ["-r", hook, MAIN, ...args], {
        stdio: ["ignore", stdout, "pipe"],
        encoding: "utf8",
        env: { ...process.env, RECORD_TO: record },
      });
      closeSync(stdout);
      expect([r.status, r.stderr]).toEqual([0, ""]);
      return new Set(
        (JSON.parse(readFileSync(record, "utf8")) as string[]).map((m) => m.slice(13)),
      );
    };
    const plain = builtins([]);
    expect(plain.has("fs")).toBe(true); // the recorder works
    const unused = ["child_process", "crypto", "net", "tty", "worker_threads"];
    expect(unused.filter((m) => plain.has(m))).toEqual([]);
    // Saving the fit writes through a temporary file, named without node:crypto (src/io/temp-tag.ts).
    expect(builtins(["--out", join(dir, "fit.json")]).has("crypto")).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, "fit.json"), "utf8")).result.converged).toBe(true);
  }, 60_000);

  it("a fit whose request is outside the limits the CLI knows is checked by zod's schema", () => {
    const dir = scratch();
    const hook = join(dir, "hook.cjs");
    writeFileSync(hook, HOOK);
    const out = join(dir, "loaded.json");
    const args = ["fit", TREATED, "--model", "mm", "--x", "conc", "--y", "rate"];
    const r = spawnSync(process.execPath, ["-r", hook, MAIN, ...args, "--weights", ""], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, RECORD_TO: out },
    });
    expect([r.status, r.stderr]).toEqual([
      2,
      "biograd: request: weights: Too small: expected string to have >=1 characters\n",
    ]);
    const files = (JSON.parse(readFileSync(out, "utf8")) as string[]).map((p) => relative(ROOT, p));
    expect(files).toEqual(
      expect.arrayContaining(["dist-cli/cli/fit-request-schema.cjs", "dist-cli/vendor/zod.cjs"]),
    );
  }, 60_000);

  it("a command reading JSON back (predict of a saved fit) still checks it with zod", () => {
    const dir = scratch();
    const fit = join(dir, "fit.json");
    const args = ["fit", TREATED, "--model", "mm", "--x", "conc", "--y", "rate", "--out", fit];
    expect(spawnSync(process.execPath, [MAIN, ...args]).status).toBe(0);
    const { files } = loaded(["predict", fit, "--at", "0.1"]);
    expect(files).toEqual(
      expect.arrayContaining(["dist-cli/cli/predict.cjs", "dist-cli/vendor/zod.cjs"]),
    );
    const saved = JSON.parse(readFileSync(fit, "utf8")) as { result: { estimates: object } };
    writeFileSync(fit, JSON.stringify({ ...saved, result: { ...saved.result, estimates: 1 } }));
    const r = spawnSync(process.execPath, [MAIN, "predict", fit, "--at", "0.1"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^biograd: .*fit\.json: result\.estimates: expected record/);
  }, 60_000);

  it("a grouped fit loads its own bundle, not the single fit's, nor the queue's (bullmq, ioredis)", () => {
    const { files, packages } = loaded(
      ["fit", PUROMYCIN, "--model", "mm", "--x", "conc", "--y", "rate", "--group", "state"].concat([
        "--workers",
        "0",
        "--quiet",
      ]),
    );
    // No zod: the CLI checks its own request (src/cli/fit-groups-request-check.ts) and the
    // schemas of what is read back are built on first use (src/core/lazy-schema.ts).
    expect(files).toEqual([
      "dist-cli/cli/fit-groups.cjs",
      "dist-cli/cli/program.cjs",
      "dist-cli/vendor/commander.cjs",
    ]);
    expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
  }, 60_000);

  it("a grouped fit that reads its journal back (--resume) checks it with zod", () => {
    const dir = scratch();
    const journal = join(dir, "journal.jsonl");
    const args = ["fit", PUROMYCIN, "--model", "mm", "--x", "conc", "--y", "rate", "--group"];
    const run = () =>
      loaded([...args, "state", "--workers", "0", "--quiet", "--resume", journal]).files;
    run();
    expect(readFileSync(journal, "utf8").trim().split("\n").length).toBeGreaterThan(0);
    expect(run()).toEqual(expect.arrayContaining(["dist-cli/vendor/zod.cjs"]));
  }, 60_000);

  it("every file of the bundle is ASCII (Node reads it as a one-byte string)", () => {
    const map = JSON.parse(readFileSync(MODULES, "utf8")) as Record<string, { bytes: number }>;
    const files = Object.keys(map).filter((f) => /\.c?js$/.test(f));
    expect(files).toContain("dist-cli/cli/fit-groups.cjs");
    for (const file of files) {
      const bytes = readFileSync(join(ROOT, file));
      expect([file, bytes.some((b) => b > 0x7f)]).toEqual([file, false]);
      // modules.json records the size written (test/helpers/cli-bundle.ts relies on it).
      expect([file, bytes.length]).toEqual([file, map[file]!.bytes]);
    }
  });

  it("the build's map: the fit paths' files import none of the heavy packages at load", () => {
    expect(existsSync(MODULES), "dist-cli/modules.json missing: run `npm run build`").toBe(true);
    const map = JSON.parse(readFileSync(MODULES, "utf8")) as Record<string, { imports: string[] }>;
    for (const file of [
      "dist/cli/main.js",
      "dist-cli/cli/program.cjs",
      "dist-cli/cli/fit.cjs",
    ].concat([
      "dist-cli/cli/fit-groups.cjs",
      "dist-cli/vendor/zod.cjs",
      "dist-cli/vendor/commander.cjs",
    ])) {
      expect(map[file], file).toBeDefined();
      expect(
        map[file]!.imports.filter((i) => HEAVY.includes(i)),
        file,
      ).toEqual([]);
    }
    // The queue's packages are behind its part, which holds them (so the check above could fail).
    expect(map["dist-cli/queue/parts.cjs"]!.imports).toEqual(
      expect.arrayContaining(["bullmq", "ioredis"]),
    );
  });

  it("keeps V8's code cache of the files it loads in XDG_CACHE_HOME; a broken cache is ignored", () => {
    const tmp = scratch();
    const args = ["fit", TREATED, "--model", "mm", "--x", "conc", "--y", "rate"];
    const run = () => {
      const r = spawnSync(process.execPath, [MAIN, ...args], {
        encoding: "utf8",
        env: { ...process.env, XDG_CACHE_HOME: tmp, BIOGRAD_CODE_CACHE: "" },
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const first = run();
    const [sub] = readdirSync(join(tmp, "biograd")).filter((d) => d.startsWith("code-cache-"));
    expect(sub).toBeDefined();
    const dir = join("biograd", sub!);
    const caches = readdirSync(join(tmp, dir!)).sort();
    // Named by file, install (a hash of its path), size and time.
    expect(caches.map((c) => c.replace(/-[0-9a-f]{8}-\d+-\d+\.bin$/, ""))).toEqual([
      "cli-fit.cjs",
      "cli-program.cjs",
      "vendor-commander.cjs",
    ]);
    expect(run()).toBe(first);
    for (const c of caches) writeFileSync(join(tmp, dir!, c), "not a code cache");
    // An older build's cache of the same file goes when a new one is written; others stay,
    // also another install's of the same file (else two installs would remove each other's).
    const install = /-([0-9a-f]{8})-\d+-\d+\.bin$/.exec(caches[0]!)![1];
    writeFileSync(join(tmp, dir!, `cli-fit.cjs-${install}-1-1.bin`), "an older build's");
    writeFileSync(join(tmp, dir!, "cli-fit.cjs-00000000-1-1.bin"), "another install's");
    writeFileSync(join(tmp, dir!, "cli-fit.cjs-1-1.bin"), "named before the install's place was");
    writeFileSync(join(tmp, dir!, `queue-parts.cjs-${install}-1-1.bin`), "another file's");
    expect(run()).toBe(first);
    expect(readdirSync(join(tmp, dir!)).sort()).toEqual(
      [...caches, "cli-fit.cjs-00000000-1-1.bin", `queue-parts.cjs-${install}-1-1.bin`].sort(),
    );
    // A package imported on demand (vega) from cached code, with no warning on stderr.
    const fit = join(tmp, "fit.json");
    spawnSync(process.execPath, [MAIN, ...args, "--out", fit], { cwd: ROOT });
    for (const round of [1, 2]) {
      const r = spawnSync(process.execPath, [MAIN, "report", fit, "--out", join(tmp, "r.html")], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, XDG_CACHE_HOME: tmp, BIOGRAD_CODE_CACHE: "" },
      });
      expect([round, r.status, r.stderr]).toEqual([round, 0, ""]);
    }
  }, 60_000);
});
