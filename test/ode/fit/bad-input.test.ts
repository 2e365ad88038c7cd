import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

/** Bad input to `biograd ode fit`: one line naming the file:line:column or the option, exit 2. */
const dir = mkdtempSync(join(tmpdir(), "biograd-ode-fit-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const model = "examples/ode/yeast-logistic.yaml";

async function refused(args: string[], pattern: RegExp) {
  const run = await cli("ode", "fit", ...args);
  expect(run.code).toBe(2);
  const lines = run.err.filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/at .*\.ts|Error:/);
}

describe("biograd ode fit refuses bad input in one line", () => {
  it("times that do not increase (file:line:column)", async () => {
    const data = file("back.csv", "t,yeast\n0,9.6\n2,29\n1,18.3\n");
    await refused(
      [model, data, "--time", "t"],
      /back\.csv:4:1: column "t": times must increase, got 1 after 2/,
    );
  });

  it("a repeated time", async () => {
    const data = file("twice.csv", "t,yeast\n0,9.6\n1,18.3\n1,18.4\n");
    await refused(
      [model, data, "--time", "t"],
      /twice\.csv:4:1: .*times must increase, got 1 after 1/,
    );
  });

  it("data that start before the model's t0", async () => {
    const data = file("early.csv", "t,yeast\n-1,5\n0,9.6\n1,18.3\n");
    await refused(
      [model, data, "--time", "t"],
      /early\.csv:2: column "t": the first time -1 is before the model's t0 = 0/,
    );
  });

  it("a cell that is not a number (with the --na hint)", async () => {
    const data = file("text.csv", "t,yeast\n0,9.6\n1,n/a\n2,29\n");
    await refused(
      [model, data, "--time", "t"],
      /text\.csv:3:2: column "yeast": expected a number or an empty cell, got "n\/a" \(use --na n\/a/,
    );
  });

  it("a missing observable column names the observable's place in the model file", async () => {
    const data = file("nocol.csv", "t,od\n0,9.6\n1,18.3\n");
    await refused([model, data, "--time", "t"], /yeast/);
  });

  it("a missing time column", async () => {
    await refused([model, "examples/ode/yeast-carlson.csv", "--time", "hours"], /"hours"/);
  });

  it("a negative tolerance", async () => {
    await refused(
      [model, "examples/ode/yeast-carlson.csv", "--time", "t", "--rtol", "-1"],
      /^biograd: --rtol: expected a number > 0/,
    );
  });

  it("an unknown parameter in --start", async () => {
    await refused(
      [model, "examples/ode/yeast-carlson.csv", "--time", "t", "--start", "q=1"],
      /--start: "q" is not a parameter of the model/,
    );
  });

  it("--seed without --starts", async () => {
    await refused(
      [model, "examples/ode/yeast-carlson.csv", "--time", "t", "--seed", "3"],
      /^biograd: --seed: only with --starts/,
    );
  });

  it("a fitted σ, which ode fit does not support yet", async () => {
    const m = file(
      "sigma.yaml",
      "states: [N]\nparameters: {r: {start: 0.5, lower: 0}, K: {start: 600, lower: 0}, N0: {start: 10, lower: 0}, s: {start: 1, lower: 0}}\nequations: {N: r*N*(1 - N/K)}\ninitial: {N: N0}\nobservables: {yeast: N}\nnoise: {yeast: s}\n",
    );
    await refused([m, "examples/ode/yeast-carlson.csv", "--time", "t"], /noise\.yeast: a fitted σ/);
  });

  it("an empty column is no data", async () => {
    const data = file("empty.csv", "t,yeast\n0,\n1,\n");
    await refused([model, data, "--time", "t"], /empty\.csv: no measured values in "yeast"/);
  });
});
