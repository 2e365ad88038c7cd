import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartForResult } from "../../src/report/result-chart.js";
import { cli } from "../helpers/cli.js";
import { countMarks, parseXml } from "../report/xml.js";
import { illConditioned } from "../sweep/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-report-"));
const at = (name: string) => join(dir, name);

/** Checks a report: offline (no URL, nothing loaded), every chart inline, its spec with the data. */
function checkReport(path: string, result: string): string {
  const html = readFileSync(path, "utf8");
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<(link|img|iframe)\b|<script[^>]*\bsrc=|@import|url\((?!#)/i);
  const svgs = [...html.matchAll(/<figure class="chart">(<svg[\s\S]*?<\/svg>)<\/figure>/g)];
  const specs = [
    ...html.matchAll(
      /<script type="application\/json" class="vega-lite-spec" id="spec-\d+">([\s\S]*?)<\/script>/g,
    ),
  ];
  expect(svgs.length).toBe(1);
  expect(specs.length).toBe(svgs.length);
  expect(html.match(/<svg\b/g)).toHaveLength(svgs.length);
  parseXml(svgs[0]![1]!);
  const doc = JSON.parse(readFileSync(result, "utf8"));
  expect(JSON.parse(specs[0]![1]!)).toEqual(chartForResult(doc, result));
  return html;
}

describe("biograd report", () => {
  it("a fit: estimates table, the chart inline with one mark per point, no URL", async () => {
    await cli(
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
    const r = await cli("report", at("fit.json"), "--out", at("fit.html"));
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`wrote ${at("fit.html")}`]);
    const html = checkReport(at("fit.html"), at("fit.json"));
    expect(countMarks(html, "points")).toBe(16);
    expect(html).toContain("<th>parameter</th><th>estimate</th>");
    expect(html).toContain(`biograd report ${at("fit.json")} --out ${at("fit.html")}`);
    expect(html).toMatch(/vega 6\.\d+\.\d+, vega-lite 6\.\d+\.\d+/);
  });

  it("a training run and a sweep", async () => {
    await cli(
      "train",
      "examples/linear3.csv",
      "--x",
      "x1,x2,x3",
      "--y",
      "y",
      "--epochs",
      "30",
      "--out",
      at("run.json"),
    );
    expect((await cli("report", at("run.json"), "--out", at("run.html"))).code).toBe(0);
    expect(checkReport(at("run.html"), at("run.json"))).toContain("<th>stopped</th>");
    const grid = [
      "--clip",
      "value:0.1",
      "--lr",
      "0.01",
      "--seeds",
      "2",
      "--epochs",
      "10",
      "--workers",
      "0",
    ];
    await cli(
      "sweep",
      "train",
      illConditioned,
      "--x",
      "x1,x2",
      "--y",
      "y",
      ...grid,
      "--out",
      at("sweep.json"),
    );
    expect((await cli("report", at("sweep.json"), "--out", at("sweep.html"))).code).toBe(0);
    expect(checkReport(at("sweep.html"), at("sweep.json"))).toContain("<th>median final loss</th>");
  });

  it("a grouped fit: every group of the result is drawn, and the counts table", async () => {
    const args = ["examples/dnase.csv", "--model", "hill", "--x", "conc", "--y", "density"];
    expect(
      (
        await cli(
          "fit",
          ...args,
          "--group",
          "run",
          "--workers",
          "0",
          "--quiet",
          "--out",
          at("groups.json"),
        )
      ).code,
    ).toBe(0);
    expect((await cli("report", at("groups.json"), "--out", at("groups.html"))).code).toBe(0);
    const html = checkReport(at("groups.html"), at("groups.json"));
    expect(html).toContain("<th>groups</th><th>fitted</th>");
    const doc = JSON.parse(readFileSync(at("groups.json"), "utf8"));
    const spec = chartForResult(doc, at("groups.json"));
    expect(new Set(spec.datasets.groups!.map((r) => r.group)).size).toBe(doc.counts.groups);
    expect((await cli("plot", at("groups.json"), "--out", at("groups.png"))).code).toBe(0);
  });

  it("refuses an output that is not .html, exit 2, one line", async () => {
    const r = await cli("report", at("fit.json"), "--out", at("fit.txt"));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `biograd: --out ${at("fit.txt")}: expected a file name ending in .html`,
    ]);
  });
});
