import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepCli, tempDir } from "../sweep/helpers.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

/** A copy of linear3.csv in a fresh directory, and a small grid over it. */
function setup() {
  const dir = tempDir();
  const data = join(dir, "data.csv");
  copyFileSync(example("linear3.csv"), data);
  const args = ["train", data, "--x", "x1,x2", "--y", "y", "--clip", "value:1", "--lr", "0.01"];
  return { dir, data, args: [...args, "--seeds", "1", "--epochs", "5", "--workers", "0"] };
}

/** Exit 2 with one line on stderr, nothing run (no plan line on stdout). */
async function refused(args: string[]): Promise<string> {
  const r = await sweepCli(...args);
  expect(r.code).toBe(2);
  const lines = r.err.filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(r.out.filter((l) => l !== "")).toEqual([]);
  return lines[0]!;
}

describe("sweep outputs are checked before any run and never destroy data", () => {
  it("--out equal to the input (also through a symlink): exit 2, one line, input unchanged", async () => {
    const { dir, data, args } = setup();
    const before = readFileSync(data);
    expect(await refused([...args, "--out", data])).toBe(
      `biograd: --out ${data}: is the input file (give another path)`,
    );
    const link = join(dir, "link.csv");
    symlinkSync(data, link);
    expect(await refused([...args, "--out", link])).toBe(
      `biograd: --out ${link}: is the input file ${data} (give another path)`,
    );
    expect(readFileSync(data).equals(before)).toBe(true);
  });

  it("--out in a missing directory is refused before any run", async () => {
    const { dir, args } = setup();
    const out = join(dir, "missing", "r.json");
    expect(await refused([...args, "--out", out])).toBe(
      `biograd: --out ${out}: directory "${join(dir, "missing")}" does not exist`,
    );
  });

  it("--resume may be neither the input file nor a FIFO, nor the --out file", async () => {
    const { dir, data, args } = setup();
    const before = readFileSync(data);
    expect(await refused([...args, "--resume", data])).toBe(
      `biograd: --resume ${data}: is the input file (give another path)`,
    );
    const fifo = join(dir, "journal.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(await refused([...args, "--resume", fifo])).toBe(
      `biograd: --resume ${fifo}: is a FIFO; expected a regular file or a new path`,
    );
    const same = join(dir, "r.csv");
    expect(await refused([...args, "--out", same, "--resume", same])).toBe(
      `biograd: --resume ${same}: is the same file as --out (give another path)`,
    );
    expect(readFileSync(data).equals(before)).toBe(true);
  });

  it("--out through a symlink writes the link's target; the link stays a link", async () => {
    const { dir, args } = setup();
    const target = join(dir, "target.csv");
    const link = join(dir, "out.csv");
    symlinkSync(target, link);
    const r = await sweepCli(...args, "--out", link);
    expect(r.code, r.err.join("\n")).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(readFileSync(target, "utf8")).toMatch(/^key,setting,clip,threshold/);
    expect(execFileSync("readlink", [link], { encoding: "utf8" }).trim()).toBe(target);
  });
});
