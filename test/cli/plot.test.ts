import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pngSize } from "../../src/report/render.js";
import { cli } from "../helpers/cli.js";
import { countMarks, parseXml } from "../report/xml.js";
import { illConditioned } from "../sweep/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-plot-"));
const at = (name: string) => join(dir, name);
const TRAIN = ["examples/linear3.csv", "--x", "x1,x2,x3", "--y", "y", "--epochs", "50"];

describe("biograd plot and --plot", () => {
  it("train --plot draws the run; plot draws its --out file the same", async () => {
    const r = await cli(
      "train",
      ...TRAIN,
      "--clip",
      "global-norm:0.05",
      "--out",
      at("run.json"),
      "--plot",
      at("run.svg"),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${at("run.svg")} (chart)`);
    const svg = readFileSync(at("run.svg"), "utf8");
    parseXml(svg);
    const run = JSON.parse(readFileSync(at("run.json"), "utf8"));
    const clipped = run.history.clipFraction.filter((f: number) => f > 0).length;
    expect(clipped).toBeGreaterThan(0);
    expect(countMarks(svg, "clipped")).toBe(clipped);
    const p = await cli("plot", at("run.json"), "--out", at("again.svg"));
    expect(p.code).toBe(0);
    expect(readFileSync(at("again.svg"), "utf8")).toBe(svg);
  });

  it("plot draws a saved fit as PNG of the asked width, with its data read again", async () => {
    const f = await cli(
      "fit",
      "examples/dnase-run1.csv",
      "--model",
      "hill",
      "--x",
      "conc",
      "--y",
      "density",
      "--out",
      at("fit.json"),
    );
    expect(f.code).toBe(0);
    const p = await cli("plot", at("fit.json"), "--out", at("fit.png"), "--width", "500");
    expect(p.code).toBe(0);
    expect(pngSize(readFileSync(at("fit.png"))).width).toBe(500);
    const svg = await cli("plot", at("fit.json"), "--out", at("fit.svg"));
    expect(svg.code).toBe(0);
    expect(countMarks(readFileSync(at("fit.svg"), "utf8"), "points")).toBe(16);
  });

  it("sweep --plot draws one cell per setting and rate; plot draws its --out the same", async () => {
    const grid = [
      "--clip",
      "value:0.1,value:1",
      "--lr",
      "0.01,0.1",
      "--seeds",
      "2",
      "--epochs",
      "20",
    ];
    const args = [
      "sweep",
      "train",
      illConditioned,
      "--x",
      "x1,x2",
      "--y",
      "y",
      ...grid,
      "--workers",
      "0",
    ];
    const r = await cli(...args, "--out", at("sweep.json"), "--plot", at("sweep.svg"));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${at("sweep.svg")} (chart)`);
    const svg = readFileSync(at("sweep.svg"), "utf8");
    parseXml(svg);
    expect(countMarks(svg, "cells")).toBe(3 * 2); // none, value 0.1, value 1 × two rates
    const again = await cli("plot", at("sweep.json"), "--out", at("sweep2.svg"));
    expect(again.code).toBe(0);
    expect(readFileSync(at("sweep2.svg"), "utf8")).toBe(svg);
  });

  it("demo seed --compare --plot draws both runs' MSE side by side", async () => {
    const r = await cli("demo", "seed", "--compare", "--plot", at("seed.svg"));
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe(`wrote ${at("seed.svg")} (chart)`);
    const svg = readFileSync(at("seed.svg"), "utf8");
    parseXml(svg);
    expect(svg).toContain("clipped ±0.1");
    expect(svg).toContain("plain gradient descent");
    expect(svg.match(/role-mark mse_marks/g)).toHaveLength(2);
    const bad = await cli("demo", "seed", "--plot", at("seed.jpg"));
    expect(bad.code).toBe(2);
    expect(bad.out).toEqual([]);
  });

  it("a network run gets its validation loss drawn; a diverged run still gets its picture", async () => {
    const net = ["examples/wine.csv", "--y", "cultivar", "--task", "classify", "--model", "mlp:8"];
    const r = await cli(
      "train",
      ...net,
      "--epochs",
      "5",
      "--out",
      at("net.json"),
      "--plot",
      at("net.svg"),
    );
    expect(r.code).toBe(0);
    const svg = readFileSync(at("net.svg"), "utf8");
    expect(svg).toContain("validation loss");
    expect((await cli("plot", at("net.json"), "--out", at("net2.svg"))).code).toBe(0);
    expect(readFileSync(at("net2.svg"), "utf8")).toBe(svg);
    const blowUp = ["--clip", "none", "--optimizer", "sgd:100", "--epochs", "200"];
    const d = await cli("train", ...TRAIN.slice(0, 5), ...blowUp, "--plot", at("diverged.png"));
    expect(d.code).toBe(1);
    expect(d.out).toContain(`wrote ${at("diverged.png")} (chart)`);
    expect(pngSize(readFileSync(at("diverged.png"))).width).toBe(1200);
  });

  it("a fit on --x-log10 is drawn in the model's units, its curve the predictions", async () => {
    const args = [
      "examples/dnase-run1.csv",
      "--model",
      "4pl",
      "--x-log10",
      "conc",
      "--y",
      "density",
    ];
    expect((await cli("fit", ...args, "--out", at("log.json"))).code).toBe(0);
    expect((await cli("plot", at("log.json"), "--out", at("log.svg"))).code).toBe(0);
    const svg = readFileSync(at("log.svg"), "utf8");
    expect(countMarks(svg, "points")).toBe(16);
    expect(svg).toContain("log10(conc)");
  });

  it("refuses bad outputs and inputs in one line, exit 2, before any work", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["train", ...TRAIN, "--plot", at("run.pdf")],
        /^biograd: --plot .*run\.pdf: expected a file name ending in \.svg or \.png$/,
      ],
      [
        ["train", ...TRAIN, "--plot", at("nope/run.svg")],
        /^biograd: --plot .*: directory ".*nope" does not exist$/,
      ],
      [
        ["plot", "examples/linear3.csv", "--out", at("x.svg")],
        /^biograd: examples\/linear3\.csv: not valid JSON/,
      ],
      [
        ["plot", at("run.json"), "--out", at("x.gif")],
        /expected a file name ending in \.svg or \.png$/,
      ],
    ];
    writeFileSync(at("other.json"), JSON.stringify({ kind: "network", layers: [] }));
    cases.push([
      ["plot", at("other.json"), "--out", at("x.svg")],
      /other\.json: not a result biograd can plot/,
    ]);
    writeFileSync(
      at("old.json"),
      JSON.stringify({ biograd: "0.0.1", kind: "linear", command: "train", history: {} }),
    );
    cases.push([
      ["plot", at("old.json"), "--out", at("x.svg")],
      /old\.json: biograd: written by biograd 0\.0\.1/,
    ]);
    writeFileSync(
      at("bad.json"),
      JSON.stringify({ task: "train-network", history: { epoch: [0], loss: ["x"] } }),
    );
    cases.push([
      ["plot", at("bad.json"), "--out", at("x.svg")],
      /bad\.json: history\.loss\[0\]: expected number/,
    ]);
    writeFileSync(
      at("moved.json"),
      readFileSync(at("fit.json"), "utf8").replaceAll("examples/dnase-run1.csv", at("gone.csv")),
    );
    cases.push([
      ["plot", at("moved.json"), "--out", at("x.svg")],
      /moved\.json: settings\.request\.data\.file: the data of the fit are needed to draw it: .*gone\.csv: no such file/,
    ]);
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
    expect(existsSync(at("x.svg"))).toBe(false);
  });
});
