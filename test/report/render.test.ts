import { describe, expect, it } from "vitest";
import { fitCurve } from "../../src/nls/fit-curve.js";
import { curveFitSpec } from "../../src/report/curve-fit-spec.js";
import { pngSize, renderPng, renderSvg } from "../../src/report/render.js";
import { sweepSpec } from "../../src/report/sweep-spec.js";
import { fitCurveResult } from "../../src/tasks/fit-curve-result.js";
import { prepareCurveFit } from "../../src/tasks/prepare-curve-fit.js";
import { countMarks, parseXml } from "./xml.js";

function dnaseFit() {
  const prepared = prepareCurveFit({
    task: "fit-curve",
    data: { file: "examples/dnase-run1.csv" },
    model: "hill",
    x: ["conc"],
    y: "density",
  });
  const fit = fitCurve(
    prepared.curve,
    { columns: prepared.columns, y: prepared.y, weights: null },
    prepared.specs,
    {},
  );
  return curveFitSpec(fitCurveResult(prepared, fit), prepared.columns[0]!, prepared.y);
}

describe("renderSvg / renderPng", () => {
  const spec = dnaseFit();

  it("draws an SVG that parses as XML with one mark per data point", async () => {
    const svg = await renderSvg(spec);
    const { elements } = parseXml(svg);
    expect(elements[0]!.tag).toBe("svg");
    const n = spec.datasets.points!.length;
    expect(n).toBe(16);
    expect(countMarks(svg, "points")).toBe(n);
    expect(countMarks(svg, "residuals")).toBe(n);
    expect(countMarks(svg, "qq")).toBe(n);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
  });

  it("draws a PNG of the requested width, the same bytes every time", async () => {
    const svg = await renderSvg(spec);
    const a = await renderPng(svg, { width: 640 });
    const b = await renderPng(await renderSvg(dnaseFit()), { width: 640 });
    expect(Array.from(a.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const size = pngSize(a);
    expect(size.width).toBe(640);
    const [w, h] = /<svg[^>]*width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
    expect(Math.abs(size.height - (h! * 640) / w!)).toBeLessThanOrEqual(1);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("crosses each diverged sweep cell once and outlines the recommended range", async () => {
    const runs = [0.1, 1, 10].flatMap((t) =>
      [0.01, 1].map((lr) => ({
        clip: "global-norm",
        threshold: t,
        lr,
        diverged: t === 10 && lr === 1 ? "non-finite" : null,
        finalLoss: t === 10 && lr === 1 ? null : t * lr,
      })),
    );
    const sweep = sweepSpec(runs, {
      found: true,
      kind: "global-norm",
      lr: 1,
      thresholds: [0.1, 1],
    });
    const svg = await renderSvg(sweep);
    parseXml(svg);
    expect(countMarks(svg, "cells")).toBe(6);
    expect(countMarks(svg, "diverged")).toBe(1);
    expect(countMarks(svg, "recommended")).toBe(2);
    // Vega numbers gradient ids across a process; the same chart must still be the same bytes.
    expect(svg).toContain('id="d0"');
    expect(await renderSvg(sweep)).toBe(svg);
  });
});
