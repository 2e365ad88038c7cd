import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { runFitCurve } from "../../src/tasks/fit-curve.js";
import { runPredict } from "../../src/tasks/predict.js";
import { runTask } from "../../src/tasks/run-task.js";
import { cli } from "../helpers/cli.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests damage saved documents field by field
type Doc = Record<string, any>;

const PUROMYCIN = new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname;
const saved = () =>
  runFitCurve({
    task: "fit-curve",
    data: { file: PUROMYCIN },
    model: "mm",
    x: ["conc"],
    y: "rate",
  }) as unknown as Doc;

describe("predict task", () => {
  it("evaluates a saved fit at `at` values and on inline rows", () => {
    const doc = saved();
    const { Vmax, Km } = doc.result.estimates;
    const r = runPredict({ task: "predict", model: { saved: doc }, at: [0.1, 1] });
    expect(r.columns).toEqual(["conc", "rate_predicted"]);
    expect(r.rows.map((row) => Number(row[1]))).toEqual([
      (Vmax * 0.1) / (Km + 0.1),
      Vmax / (Km + 1),
    ]);
    const q = runPredict({
      task: "predict",
      model: { saved: doc },
      data: { columns: { conc: [0.5] } },
    });
    expect(Number(q.rows[0]![1])).toBe((Vmax * 0.5) / (Km + 0.5));
  });

  const broken: [string, (d: Doc) => void, string][] = [
    [
      "an estimate of the wrong type",
      (d) => {
        d.result.estimates.Km = "0.06";
      },
      "model: result.estimates.Km: ",
    ],
    [
      "a null estimate",
      (d) => {
        d.result.estimates.Km = null;
      },
      "model: result.estimates.Km: ",
    ],
    [
      "a missing estimate",
      (d) => {
        delete d.result.estimates.Km;
      },
      "model: result.estimates.Km: missing",
    ],
    [
      "an unknown kind",
      (d) => {
        d.kind = "spline";
      },
      'model: kind: got "spline"; not a biograd fit, linear run or network',
    ],
    [
      "absurdly many parameters",
      (d) => {
        d.model.params = Array.from({ length: 100_000 }, (_, i) => `p${i}`);
      },
      "model: model.params: ",
    ],
    [
      "columns that do not match the variables",
      (d) => {
        d.model.columns = ["a", "b"];
      },
      "model: model.columns: has 2 names for 1 variables",
    ],
    [
      "a damaged formula",
      (d) => {
        d.model.formula = "Vmax*x/(Km+";
      },
      "model: model.formula: formula:1:",
    ],
  ];
  for (const [name, damage, message] of broken) {
    it(`refuses a saved fit with ${name}, naming the field`, () => {
      const doc = saved();
      damage(doc);
      expect(() => runPredict({ task: "predict", model: { saved: doc }, at: [1] })).toThrow(
        message,
      );
    });
  }

  it("refuses a fit that did not converge unless allowed", () => {
    const doc = saved();
    doc.result.converged = false;
    const request = { task: "predict", model: { saved: doc }, at: [1] };
    expect(() => runPredict(request)).toThrow(
      "model: result.converged: the fit did not converge, so its estimates are not to be trusted (refit, or predict with --allow-unconverged)",
    );
    expect(runPredict({ ...request, allowUnconverged: true }).rows).toHaveLength(1);
  });

  it("via the CLI: exit 2 and one line for an unconverged fit; --allow-unconverged uses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "biograd-predict-"));
    const file = join(dir, "fit.json");
    const doc = saved();
    doc.result.converged = false;
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli("predict", file, "--at", "1");
    expect(r.code).toBe(2);
    expect(r.err.filter((l) => l !== "")).toEqual([
      `biograd: ${file}: result.converged: the fit did not converge, so its estimates are not to be trusted (refit, or predict with --allow-unconverged)`,
    ]);
    const ok = await cli("predict", file, "--at", "1", "--allow-unconverged");
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toBe("conc,rate_predicted");
  });

  it("saved-fit schema: arbitrary JSON is an InputError or a valid fit, never another exception", () => {
    const good = saved();
    const json = fc.jsonValue({ maxDepth: 4 });
    // Arbitrary documents, and the good one with one field replaced by arbitrary JSON.
    const paths = [
      ["kind"],
      ["biograd"],
      ["data"],
      ["data", "y"],
      ["model"],
      ["model", "formula"],
      ["model", "params"],
      ["model", "variables"],
      ["model", "columns"],
      ["model", "constants"],
      ["result"],
      ["result", "estimates"],
      ["result", "estimates", "Km"],
      ["result", "converged"],
    ];
    const mutated = fc.tuple(fc.constantFrom(...paths), json).map(([path, value]) => {
      const doc = structuredClone(good);
      let at = doc;
      for (const key of path.slice(0, -1)) at = at[key];
      at[path.at(-1)!] = value;
      return doc;
    });
    fc.assert(
      fc.property(fc.oneof(json, mutated), (doc) => {
        try {
          runPredict({ task: "predict", model: { saved: doc }, at: [0.5] });
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(InputError);
          expect((e as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 1500, seed: 3 },
    );
  });
});

describe("runTask", () => {
  it("refuses a missing or unknown task, naming `task` and the known kinds", async () => {
    await expect(runTask({})).rejects.toThrow(
      "request: task: missing; expected one of compare-models, fit-curve, fit-groups, ode-fit, predict",
    );
    await expect(runTask({ task: "fit" })).rejects.toThrow(
      'request: task: got "fit"; expected one of compare-models, fit-curve, fit-groups, ode-fit, predict',
    );
    await expect(runTask(null)).rejects.toBeInstanceOf(InputError);
  });

  it("dispatches predict", async () => {
    const r = await runTask({ task: "predict", model: { saved: saved() }, at: [1] });
    expect(r).toMatchObject({ kind: "curve-fit", columns: ["conc", "rate_predicted"] });
  });
});
