import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../../src/report/render.js";
import { chartForResult } from "../../src/report/result-chart.js";
import { runFitGroups } from "../../src/tasks/fit-groups.js";
import { parseXml } from "./xml.js";

type Row = { group: string; status: string; kind: string; x: number; y: number };

/** The shipped DNase assay: 11 runs, logistic in ln(concentration), the saved JSON as written. */
async function dnaseGroups(extra: Record<string, unknown> = {}) {
  const result = await runFitGroups({
    task: "fit-groups",
    data: { file: "examples/dnase.csv" },
    model: "logistic",
    x: ["lnconc"],
    y: "density",
    group: ["run"],
    ...extra,
  });
  return JSON.parse(JSON.stringify(result)) as typeof result;
}

/** The file's rows of each run, read independently of the library's reader. */
function dnaseRows(): Map<string, { x: number; y: number }[]> {
  const [header, ...lines] = readFileSync("examples/dnase.csv", "utf8").trim().split("\n");
  const cols = header!.split(",");
  const by = new Map<string, { x: number; y: number }[]>();
  for (const line of lines) {
    const cells = line.split(",");
    const run = cells[cols.indexOf("run")]!;
    if (!by.has(run)) by.set(run, []);
    by.get(run)!.push({
      x: Number(cells[cols.indexOf("lnconc")]),
      y: Number(cells[cols.indexOf("density")]),
    });
  }
  return by;
}

const logistic = (e: Record<string, number | null>, x: number) =>
  e.Asym! / (1 + Math.exp((e.xmid! - x) / e.scal!));

describe("grouped fit charts", () => {
  it("11 groups: one panel per group, its rows as points, the model at its estimates as curve", async () => {
    const doc = await dnaseGroups();
    const spec = chartForResult(doc, "g.json");
    expect(spec.facet).toMatchObject({ field: "group" });
    const rows = spec.datasets.groups as Row[];
    const file = dnaseRows();
    expect(new Set(rows.map((r) => r.group))).toEqual(new Set(file.keys()));
    for (const g of doc.groups) {
      const name = g.group[0]!;
      const points = rows.filter((r) => r.group === name && r.kind === "data");
      expect(points.map((p) => [p.x, p.y])).toEqual(file.get(name)!.map((p) => [p.x, p.y]));
      const curve = rows.filter((r) => r.group === name && r.kind === "curve");
      expect(curve.length).toBe(100);
      for (const c of [curve[0]!, curve[37]!, curve[99]!]) {
        expect(c.y).toBeCloseTo(logistic(g.estimate, c.x), 12);
      }
      const xs = file.get(name)!.map((p) => p.x);
      expect(curve[0]!.x).toBe(Math.min(...xs));
      expect(curve[99]!.x).toBe(Math.max(...xs));
    }
    const svg = await renderSvg(spec);
    parseXml(svg);
    // One panel per group, in the file's order, each with as many points as the group's rows.
    const panels = svg.split('role-mark points_marks"').slice(1);
    expect(panels.length).toBe(11);
    for (const [k, key] of [...file.keys()].entries()) {
      const inner = panels[k]!.slice(0, panels[k]!.indexOf("</g>"));
      expect((inner.match(/<path\b/g) ?? []).length).toBe(file.get(key)!.length);
    }
    expect(spec.facet).toMatchObject({ sort: [...file.keys()] });
  });

  it("a failed group keeps its points, gets no curve and the failed colour", async () => {
    const doc = await dnaseGroups();
    doc.groups[2] = { ...doc.groups[2]!, converged: false, flags: [] };
    const rows = chartForResult(doc, "g.json").datasets.groups as Row[];
    const third = rows.filter((r) => r.group === doc.groups[2]!.group[0]);
    expect(third.filter((r) => r.kind === "curve")).toEqual([]);
    expect(third.length).toBe(16);
    expect(new Set(third.map((r) => r.status))).toEqual(new Set(["failed"]));
  });

  it("a handful of groups is one overlay coloured by group with a legend", async () => {
    const doc = await dnaseGroups();
    doc.groups = doc.groups.slice(0, 3);
    const spec = chartForResult(doc, "g.json");
    expect(spec.facet).toBeUndefined();
    const rows = spec.datasets.groups as Row[];
    expect(rows.filter((r) => r.kind === "data").length).toBe(48);
    const svg = await renderSvg(spec);
    parseXml(svg);
    expect(svg).toContain("role-legend");
    expect(svg).toContain('role-mark points_marks"');
  });

  it("more than 48 groups keep the summary chart", async () => {
    const doc = await dnaseGroups();
    const many = Array.from({ length: 49 }, (_, i) => ({
      ...doc.groups[i % 11]!,
      group: [`g${i}`],
    }));
    const spec = chartForResult({ ...doc, groups: many }, "g.json");
    expect(Object.keys(spec.datasets).sort()).toEqual(["flags", "values"]);
  });

  it("a data file that lost a group is named in one line", async () => {
    const doc = await dnaseGroups();
    doc.groups[0] = { ...doc.groups[0]!, group: ["99"] };
    expect(() => chartForResult(doc, "g.json")).toThrow(
      /^g\.json: groups\[0\]\.group: 99 is not a group of examples\/dnase\.csv/,
    );
  });
});
