import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";

// A command line starting with `fit` registers the fit command alone (program.ts), so that a
// fit's start-up builds no other command. Its help, its option errors and its results must
// read exactly as with every command registered.
async function run(argv: string[], wholeProgram: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false };
  const code = await runCli(argv, io, { wholeProgram });
  return { code, out, err };
}

const FILE = "examples/puromycin-treated.csv";
const FIT = ["fit", FILE, "--model", "mm", "--x", "conc", "--y", "rate"];

describe("biograd fit with the fit command alone", () => {
  it.each([
    ["help", ["fit", "--help"]],
    ["no file", ["fit"]],
    ["an unknown option, with a suggestion", ["fit", "--modle", "mm"]],
    ["a missing required option", ["fit", FILE, "--x", "conc", "--y", "rate"]],
    ["a bad choice", [...FIT, "--format", "xml"]],
    ["a bad integer", [...FIT, "--workers", "two"]],
    ["the queue's options (added to fit by registerQueue)", [...FIT, "--max-attempts", "0"]],
    ["an excess argument", [...FIT, "extra"]],
    ["version, not an option of fit", ["fit", "--version"]],
    ["a fit", FIT],
    ["a fit as JSON", [...FIT, "--format", "json"]],
  ])("%s: the same as with every command", async (_, argv) => {
    const alone = await run(argv, false);
    const whole = await run(argv, true);
    expect(alone).toEqual(whole);
    // Not vacuous: each case prints something.
    expect(alone.out.length + alone.err.length).toBeGreaterThan(0);
  });

  it("`help fit` (every command registered) prints what `fit --help` prints", async () => {
    expect((await run(["help", "fit"], false)).out).toEqual(
      (await run(["fit", "--help"], false)).out,
    );
  });
});
