import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSeedDemo } from "../../src/demos/seed.js";
import { historyColumns } from "../../src/learn/run-summary.js";
import { renderSvg } from "../../src/report/render.js";
import { chartForResult } from "../../src/report/result-chart.js";
import { HEAT_COLUMNS } from "../../src/report/tensor-heat-strip.js";
import { trainingSpec } from "../../src/report/training-spec.js";
import { cli } from "../helpers/cli.js";
import { countMarks, parseXml } from "./xml.js";

type Row = Record<string, number | string | boolean | null>;

/** A small regression data set for a network: 40 rows, one feature. */
function netData(): string {
  const rows = ["x,y"];
  for (let i = 0; i < 40; i++) rows.push(`${i / 10},${Math.sin(i / 10) + 0.01 * (i % 3)}`);
  const dir = mkdtempSync(join(tmpdir(), "biograd-heat-"));
  writeFileSync(join(dir, "d.csv"), `${rows.join("\n")}\n`);
  return dir;
}

describe("per-tensor gradient norms in the run file", () => {
  const run = runSeedDemo({ iterations: 50 });

  it("historyColumns keeps them only when asked, one column per tensor in layout order", () => {
    expect(historyColumns(run.result.history)).not.toHaveProperty("tensorNorms");
    const h = historyColumns(run.result.history, { tensorNorms: true });
    expect(h.tensorNorms!.names).toEqual(["w", "b"]);
    for (const [k, name] of ["w", "b"].entries()) {
      expect(h.tensorNorms!.values[k]).toEqual(run.result.history.map((r) => r.tensorNorms![name]));
    }
  });
});

describe("the heat strip under the training chart", () => {
  it("draws log10 of each tensor's norm per epoch, each cell up to the next epoch drawn", async () => {
    const n = 30;
    const epoch = Array.from({ length: n }, (_, i) => i);
    const history = {
      epoch,
      loss: epoch.map((i) => 1 / (i + 1)),
      gradNorm: epoch.map(() => 2),
      clippedNorm: epoch.map(() => 1),
      clipFraction: epoch.map(() => 1),
      threshold: epoch.map(() => 1),
      tensorNorms: {
        names: ["dense1.W", "dense1.b", "dense2.W"],
        values: [
          epoch.map((i) => 10 ** (i / 10)),
          epoch.map((i) => (i === 3 ? null : 0.5)),
          epoch.map(() => 0), // a norm of 0 has no log: its cells stay empty
        ],
      },
    };
    const spec = trainingSpec(history);
    const rows = spec.datasets.tensorNorms as Row[];
    expect(rows).toHaveLength(n + (n - 1));
    const first = rows.filter((r) => r.tensor === "dense1.W");
    expect(first.map((r) => r.log10Norm)).toEqual(epoch.map((i) => Math.log10(10 ** (i / 10))));
    expect(first.map((r) => r.epochEnd)).toEqual(epoch.map((i) => i + 1));
    expect(rows.some((r) => r.tensor === "dense1.b" && r.epoch === 3)).toBe(false);
    const svg = await renderSvg(spec);
    parseXml(svg);
    expect(countMarks(svg, "tensorNorms")).toBe(rows.length);

    // A long history: at most HEAT_COLUMNS epochs per tensor, first and last kept.
    const long = 100_000;
    const e = Array.from({ length: long }, (_, i) => i);
    const many = trainingSpec({
      ...history,
      epoch: e,
      loss: e.map(() => 1),
      gradNorm: e.map(() => 1),
      clippedNorm: e.map(() => 1),
      clipFraction: e.map(() => 0),
      threshold: e.map(() => null),
      tensorNorms: { names: ["a"], values: [e.map(() => 1)] },
    });
    const strip = many.datasets.tensorNorms as Row[];
    expect(strip).toHaveLength(HEAT_COLUMNS);
    expect(strip[0]!.epoch).toBe(0);
    expect(strip.at(-1)!.epoch).toBe(long - 1);
  });

  it("a linear run (no tensorNorms) has no strip, and a bad saved strip is refused by JSON path", () => {
    const run = runSeedDemo({ iterations: 5 });
    const doc = { kind: "linear", command: "train", history: historyColumns(run.result.history) };
    expect(chartForResult(doc, "run.json").datasets).not.toHaveProperty("tensorNorms");
    const bad = {
      ...doc,
      history: {
        ...doc.history,
        tensorNorms: { names: ["w", "b"], values: [[1, 2, 3, 4, 5], [1]] },
      },
    };
    expect(() => chartForResult(bad, "run.json")).toThrow(
      "run.json: history.tensorNorms.values[1]: has 1 entries for 5 epochs",
    );
    const good = {
      ...doc,
      history: historyColumns(run.result.history, { tensorNorms: true }),
    };
    expect((chartForResult(good, "run.json").datasets.tensorNorms as Row[]).length).toBe(10);
  });

  it("a network's train --plot, --out, plot and report all carry the strip", async () => {
    const dir = netData();
    const at = (f: string) => join(dir, f);
    const r = await cli(
      "train",
      at("d.csv"),
      "--y",
      "y",
      "--model",
      "mlp:4:tanh",
      "--epochs",
      "12",
      "--seed",
      "1",
      "--out",
      at("run.json"),
      "--plot",
      at("run.svg"),
    );
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(at("run.json"), "utf8"));
    expect(saved.history.tensorNorms.names).toEqual([
      "dense1.W",
      "dense1.b",
      "dense2.W",
      "dense2.b",
    ]);
    const cells = 4 * saved.history.epoch.length;
    expect(countMarks(readFileSync(at("run.svg"), "utf8"), "tensorNorms")).toBe(cells);
    expect((await cli("plot", at("run.json"), "--out", at("again.svg"))).code).toBe(0);
    expect(countMarks(readFileSync(at("again.svg"), "utf8"), "tensorNorms")).toBe(cells);
    expect((await cli("report", at("run.json"), "--out", at("run.html"))).code).toBe(0);
    const html = readFileSync(at("run.html"), "utf8");
    expect(html).toContain("tensorNorms_marks");
    expect(html).toContain("gradient norm per tensor");
  });
});
