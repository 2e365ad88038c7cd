import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandBundled } from "../helpers/cli-bundle.js";
import { scratch } from "../io/snapshot.js";

// What `biograd fit` loads, seen from inside the built CLI's process (`npm test` builds dist/
// first): a preloaded recorder notes every ES module resolved, every CommonJS module required
// and every worker thread started, and writes them out as the process exits. Not a timing
// test — the start-up time itself is measured by bench/startup/run.mjs.
const ROOT = join(import.meta.dirname, "../..");
const MAIN = join(ROOT, "dist/cli/main.js");
const PUROMYCIN = join(ROOT, "examples/puromycin-treated.csv");

const RECORDER = `
import { createRequire, register, syncBuiltinESMExports } from "node:module";
import { MessageChannel } from "node:worker_threads";
import { writeFileSync } from "node:fs";
const require = createRequire(import.meta.url);
const { port1, port2 } = new MessageChannel();
const urls = new Set();
port1.on("message", (url) => urls.add(url));
port1.unref();
register(
  "data:text/javascript," + encodeURIComponent(
    "let port; export function initialize(d) { port = d.port; }" +
    "export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }"),
  { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] },
);
const threads = require("node:worker_threads");
let workers = 0;
const Worker = threads.Worker;
threads.Worker = class extends Worker { constructor(...a) { super(...a); workers++; } };
syncBuiltinESMExports();
process.on("exit", () => {
  const required = Object.keys(require.cache);
  // Node's own modules compiled so far (internal ones too: "crypto", "internal/crypto/…").
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13));
  writeFileSync(process.env.RECORD_TO, JSON.stringify({ urls: [...urls], required, workers, builtins }));
});
`;

interface Loaded {
  /** dist/ modules, relative to dist/ (e.g. "cli/fit.js"). */
  own: Set<string>;
  /** npm packages, ES modules or CommonJS (e.g. "zod", "@stdlib/math-base-special-max"). */
  packages: Set<string>;
  workers: number;
  /** Node's built-in modules loaded (e.g. "crypto", "internal/fs/streams"). */
  builtins: Set<string>;
}

function load(args: string[]): Loaded {
  const dir = scratch();
  writeFileSync(join(dir, "recorder.mjs"), RECORDER);
  const out = join(dir, "loaded.json");
  const r = spawnSync(
    process.execPath,
    ["--import", join(dir, "recorder.mjs"), MAIN, ...args, "--out", join(dir, "fit.json")],
    { cwd: dir, encoding: "utf8", env: { ...process.env, RECORD_TO: out } },
  );
  expect(r.status, r.stderr).toBe(0);
  const { urls, required, workers, builtins } = JSON.parse(readFileSync(out, "utf8")) as {
    urls: string[];
    required: string[];
    workers: number;
    builtins: string[];
  };
  const paths = expandBundled(ROOT, [
    ...urls.map((u) => decodeURIComponent(u.replace(/^file:\/\//, ""))),
    ...required,
  ]);
  const own = new Set<string>();
  const packages = new Set<string>();
  for (const p of paths) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (pkg) packages.add(pkg[1]!);
    else if (p.startsWith(join(ROOT, "dist/"))) own.add(p.slice(join(ROOT, "dist/").length));
  }
  return { own, packages, workers, builtins: new Set(builtins) };
}

/** Modules of other commands, and of what a plain fit does not ask for. */
const NOT_FOR_A_FIT = [
  "cli/train.js",
  "cli/train-run.js",
  "cli/train-worker.js",
  "cli/sweep-train.js",
  "cli/sweep-fit.js",
  "cli/compare.js",
  "cli/predict.js",
  "cli/plot.js",
  "cli/report.js",
  "cli/models.js",
  "cli/demo-seed.js",
  "cli/demo-story.js",
  "cli/ode-simulate.js",
  "cli/worker.js",
  "cli/fit-groups.js",
  "cli/fit-picture.js",
  "tasks/ode-fit.js",
  "tasks/train-linear.js",
  "tasks/train-network.js",
  "tasks/fit-groups.js",
  "serve/server.js",
  "queue/open-queue.js",
  "report/result-chart.js",
];
const PACKAGES_NOT_FOR_A_FIT = [
  "mathjs",
  "piscina",
  "cli-progress",
  "bullmq",
  "ioredis",
  "hono",
  "@hono/node-server",
  "yaml",
  "@e965/xlsx", // only a .xlsx input loads SheetJS
  "zod", // the fit checks its own request (src/cli/fit-request-limits.ts)
];

describe("biograd fit loads the fit's modules only", () => {
  it.each([
    ["a formula", ["--model", "Vm*conc/(K+conc)", "--start", "Vm=200,K=0.05"]],
    ["a library model", ["--model", "mm"]],
  ])(
    "%s: no other command's modules, no mathjs, no worker thread",
    (_, model) => {
      const loaded = load(["fit", PUROMYCIN, ...model, "--x", "conc", "--y", "rate"]);
      // The recorder saw the fit itself (else an empty list would pass).
      expect(loaded.own).toContain("cli/fit.js");
      expect(loaded.own).toContain("tasks/fit-curve-checked.js");
      expect(loaded.own).toContain("formula/fast-parse.js");
      expect(loaded.packages).toContain("commander");
      expect(NOT_FOR_A_FIT.filter((m) => loaded.own.has(m))).toEqual([]);
      expect(PACKAGES_NOT_FOR_A_FIT.filter((p) => loaded.packages.has(p))).toEqual([]);
      expect(loaded.workers).toBe(0);
    },
    60_000,
  );

  it("a grouped fit (--workers 0): no zod, no node:crypto, no worker thread", () => {
    const dnase = join(ROOT, "examples/dnase.csv");
    const args = ["--model", "logistic", "--x", "lnconc", "--y", "density", "--fast"];
    const loaded = load(["fit", dnase, "--group", "run", ...args, "--workers", "0"]);
    expect(loaded.own).toContain("cli/fit-groups.js");
    expect(loaded.own).toContain("tasks/fit-groups.js");
    // Its own request is checked without the schema (src/cli/fit-groups-request-check.ts),
    // temporary names are made without node:crypto. (cli-progress, bundled in the command's
    // file, is listed with it whether it ran or not: not checked here.)
    expect(loaded.own).not.toContain("cli/fit-request-schema.js");
    expect(["zod", "mathjs", "piscina"].filter((p) => loaded.packages.has(p))).toEqual([]);
    expect(loaded.builtins).not.toContain("crypto");
    expect(loaded.workers).toBe(0);
  }, 60_000);

  it("the recorder sees a worker thread and a command's lazily loaded modules (train)", () => {
    const data = join(scratch(), "line.csv");
    writeFileSync(data, "x,y\n0,1\n1,3\n2,5\n3,7\n");
    const loaded = load(["train", data, "--x", "x", "--y", "y", "--epochs", "5"]);
    expect(loaded.workers).toBe(1);
    expect(loaded.own).toContain("cli/train.js");
    expect(loaded.own).not.toContain("cli/fit.js");
  }, 60_000);
});
