import { describe, expect, it } from "vitest";
import { groupsSummarySpec } from "../../src/report/groups-summary-spec.js";
import { renderSvg } from "../../src/report/render.js";
import { countMarks, parseXml } from "./xml.js";

type Row = Record<string, number | string>;

describe("groupsSummarySpec", () => {
  // 10,000 hill fits: K log-uniform over 1e-2…1e2, every 10th flagged, every 100th failed.
  const groups = Array.from({ length: 10_000 }, (_, i) => ({
    group: [`c${i}`],
    converged: i % 100 !== 99,
    flags: i % 10 === 0 ? ["wide-ci"] : [],
    estimate: { top: 1, K: i % 100 === 99 ? null : 10 ** (-2 + (4 * i) / 9999), n: 1 },
  }));
  const doc = { model: { name: "hill", params: ["top", "K", "n"] }, groups };

  it("holds log10 EC50 of every converged group and the flag counts", () => {
    const spec = groupsSummarySpec(doc);
    const values = spec.datasets.values as Row[];
    expect(values.length).toBe(9_900);
    expect(values[0]).toEqual({ group: "c0", value: -2 });
    expect(values.at(-1)!.value).toBeCloseTo(-2 + (4 * 9998) / 9999, 12);
    const flags = Object.fromEntries((spec.datasets.flags as Row[]).map((r) => [r.flag, r.groups]));
    expect(flags).toEqual({ "wide-ci": 1000, "no flag": 8900, failed: 100 });
  });

  it("10,000 groups draw as a few bars, not 10,000 panels", async () => {
    const svg = await renderSvg(groupsSummarySpec(doc, { bins: 40 }));
    parseXml(svg);
    expect(countMarks(svg, "histogram")).toBeLessThanOrEqual(41);
    expect(countMarks(svg, "flags")).toBe(3);
    expect(svg.length).toBeLessThan(200_000);
  });
});
