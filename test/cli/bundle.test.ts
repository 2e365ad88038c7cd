import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scratch } from "../io/snapshot.js";

// The bundled CLI (scripts/bundle-cli.mjs: dist/cli/main.js and dist-cli/, built by `npm run
// build`, which `npm test` runs first), run from a copy that holds the bundle and nothing else
// of the build: every module it loads by URL (worker scripts, job modules, package.json, the
// font) must then resolve inside the bundle or beside it as in the package, not in tsc's dist/.
const ROOT = join(import.meta.dirname, "../..");
const PUROMYCIN = join(ROOT, "examples/puromycin.csv");

let copy = "";

beforeAll(() => {
  const map = join(ROOT, "dist-cli", "modules.json");
  expect(existsSync(map), "dist-cli/modules.json missing: run `npm run build`").toBe(true);
  const main = join(ROOT, "dist", "cli", "main.js");
  const recorded = (JSON.parse(readFileSync(map, "utf8")) as Record<string, { bytes: number }>)[
    "dist/cli/main.js"
  ];
  expect(statSync(main).size, "dist/cli/main.js is not the bundle: run `npm run build`").toBe(
    recorded?.bytes,
  );
  copy = scratch();
  mkdirSync(join(copy, "dist", "cli"), { recursive: true });
  cpSync(main, join(copy, "dist", "cli", "main.js"));
  cpSync(join(ROOT, "dist-cli"), join(copy, "dist-cli"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(copy, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  symlinkSync(join(ROOT, "assets"), join(copy, "assets"));
});

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(copy, "dist", "cli", "main.js"), ...args], {
    cwd: copy,
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("the bundled CLI on its own", () => {
  it("reads its version from package.json", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    expect(run("--version").trim()).toBe(version);
  });

  it("runs a grouped fit on two worker threads with the numbers of the in-thread run", () => {
    const group = ["fit", PUROMYCIN, "--model", "mm", "--x", "conc", "--y", "rate"];
    const out = (workers: string) => join(copy, `groups-${workers}.csv`);
    for (const workers of ["0", "2"]) {
      run(...group, "--group", "state", "--workers", workers, "--quiet", "--out", out(workers));
    }
    const rows = readFileSync(out("2"), "utf8");
    expect(rows.split("\n")[1]).toMatch(/^treated,12,true,/);
    expect(rows).toBe(readFileSync(out("0"), "utf8"));
  }, 60_000);

  it("draws a PNG with the shipped font", () => {
    const png = join(copy, "fit.png");
    run("fit", PUROMYCIN, "--model", "mm", "--x", "conc", "--y", "rate", "--plot", png);
    expect(readFileSync(png).subarray(1, 4).toString("latin1")).toBe("PNG");
  }, 60_000);
});
