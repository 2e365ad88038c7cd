import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { countMarks, parseXml } from "../report/xml.js";

const data = "examples/puromycin-treated.csv";
const rows = readFileSync(data, "utf8").trim().split("\n").length - 1;

describe("fit --plot", () => {
  it("draws the fit: one point and one residual mark per data row, in well-formed SVG", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-fit-plot-"));
    const svg = join(dir, "mm.svg");
    const r = await cli(
      "fit",
      data,
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--plot",
      svg,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${svg} (chart)`);
    const text = readFileSync(svg, "utf8");
    expect(() => parseXml(text)).not.toThrow();
    expect(countMarks(text, "points")).toBe(rows);
    expect(countMarks(text, "residuals")).toBe(rows);
  });

  it("an unknown extension is refused before the fit, one line, exit 2, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-fit-plot-"));
    const out = join(dir, "fit.json");
    writeFileSync(out, "old");
    const r = await cli(
      "fit",
      data,
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--out",
      out,
      "--plot",
      join(dir, "mm.pdf"),
    );
    expect(r.code).toBe(2);
    expect(r.err.filter((l) => l !== "")).toEqual([
      `biograd: --plot ${join(dir, "mm.pdf")}: expected a file name ending in .svg or .png`,
    ]);
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["fit.json"]);
  });
});
