import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/atomic-write.js";
import { cli } from "../helpers/cli.js";

const example = new URL("../../examples/linear3.csv", import.meta.url).pathname;
/** numpy's lstsq on the same file (examples/make_linear3.py). */
const solution = JSON.parse(
  readFileSync(new URL("../../examples/linear3.solution.json", import.meta.url), "utf8"),
) as { w: number[]; b: number };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "biograd-train-"));
}

describe("train", () => {
  it("adam + global-norm clipping reaches the normal-equations solution to 1e-8", async () => {
    const out = join(tempDir(), "run.json");
    const r = await cli(
      "train",
      example,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--clip",
      "global-norm:1",
      "--optimizer",
      "adam:0.01",
      "--epochs",
      "3000",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(out, "utf8"));
    const w = run.parameters.w as number[];
    for (let j = 0; j < 3; j++) expect(Math.abs(w[j]! - solution.w[j]!)).toBeLessThan(1e-8);
    expect(Math.abs(run.parameters.b - solution.b)).toBeLessThan(1e-8);
    // The run file says what was asked and what happened.
    expect(run.settings.clip).toBe("global-norm:1");
    expect(run.stopReason).toBe("max-epochs");
    expect(run.history.loss).toHaveLength(3000);
    expect(run.history.clipFraction[0]).toBe(1);
    expect(run.data.features).toEqual(["x1", "x2", "x3"]);
    expect(typeof run.biograd).toBe("string");
  });

  it("prints the stop reason and parameters by name; mini-batches and patience work", async () => {
    const r = await cli(
      "train",
      example,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--optimizer",
      "sgd:0.05,momentum=0.9",
      "--clip",
      "value:1",
      "--batch-size",
      "32",
      "--epochs",
      "500",
      "--patience",
      "5",
      "--min-delta",
      "1e-6",
    );
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(
      /stopped: no improvement within the patience window \(patience\)/,
    );
    expect(r.out.some((l) => /^ {2}w\[x2\]\s+-0\.4\d+/.test(l))).toBe(true);
  });

  it("exits 1 with a clear line when training diverges", async () => {
    const r = await cli(
      "train",
      example,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--clip",
      "none",
      "--optimizer",
      "sgd:5",
    );
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toMatch(/diverged/);
  });

  describe("bad input: exit code 2 and one line naming where and what", () => {
    const dir = tempDir();
    const file = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const cases: [string, string[], RegExp][] = [
      ["missing column", [example, "--x", "x1,x9", "--y", "y"], /linear3\.csv:1: no column "x9"/],
      [
        "non-numeric cell",
        [file("bad.csv", "x,y\n1,2\n3,oops\n"), "--x", "x", "--y", "y"],
        /bad\.csv:3:2: column "y": expected a number, got "oops"/,
      ],
      ["empty file", [file("empty.csv", ""), "--x", "x", "--y", "y"], /empty\.csv: file is empty/],
      [
        "header-only file",
        [file("head.csv", "x,y\n"), "--x", "x", "--y", "y"],
        /head\.csv:1: no data rows/,
      ],
      [
        "ragged row",
        [file("ragged.csv", "x,y\n1,2\n3\n"), "--x", "x", "--y", "y"],
        /ragged\.csv:3: row has 1 field/,
      ],
      ["missing file", [join(dir, "nope.csv"), "--x", "x", "--y", "y"], /nope\.csv: no such file/],
      ["unknown option", [example, "--x", "x1", "--y", "y", "--bogus"], /unknown option '--bogus'/],
      [
        "unknown clip kind",
        [example, "--x", "x1", "--y", "y", "--clip", "magic:1"],
        /--clip: unknown clip kind "magic"/,
      ],
      [
        "negative threshold",
        [example, "--x", "x1", "--y", "y", "--loss-threshold", "-1"],
        /--loss-threshold: expected a number >= 0, got "-1"/,
      ],
      [
        "negative clip",
        [example, "--x", "x1", "--y", "y", "--clip", "global-norm:-1"],
        /^biograd: --clip: threshold: expected a number > 0 \(in "global-norm:-1"\)$/,
      ],
      [
        "unknown optimizer",
        [example, "--x", "x1", "--y", "y", "--optimizer", "rmsprop:0.1"],
        /--optimizer: unknown optimizer "rmsprop"/,
      ],
      [
        "unknown model",
        [example, "--x", "x1", "--y", "y", "--model", "cubic"],
        /--model: unknown model "cubic" \(expected linear, logistic or mlp/,
      ],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const r = await cli("train", ...args);
        expect(r.code).toBe(2);
        const lines = r.err.filter((l) => l !== "");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(r.out.filter((l) => l !== "")).toEqual([]);
      });
    }
  });

  it("a run killed with SIGKILL leaves an existing --out file untouched", async () => {
    const dir = tempDir();
    const out = join(dir, "run.json");
    writeFileSync(out, "previous run\n");
    const main = new URL("../../dist/cli/main.js", import.meta.url).pathname;
    const child = spawn(process.execPath, [
      main,
      "train",
      example,
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--epochs",
      "100000000",
      "--out",
      out,
    ]);
    // Wait until training is under way (the first progress line), then kill it.
    await new Promise<void>((resolve) => child.stderr.once("data", () => resolve()));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(readFileSync(out, "utf8")).toBe("previous run\n");
    expect(readdirSync(dir)).toEqual(["run.json"]);
  });

  it("writeFileAtomic replaces the file whole, and a failed write leaves the old one", () => {
    const dir = tempDir();
    const path = join(dir, "a.json");
    writeFileAtomic(path, "one");
    writeFileAtomic(path, "two");
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(() => writeFileAtomic(join(dir, "missing-dir", "b.json"), "x")).toThrow();
    // A write that fails half-way (here: a value writeSync rejects) leaves no trace.
    expect(() => writeFileAtomic(path, Symbol("bad") as unknown as string)).toThrow();
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["a.json"]);
    expect(existsSync(join(dir, "missing-dir"))).toBe(false);
  });
});
