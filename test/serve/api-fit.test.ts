import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTask } from "../../src/tasks/run-task.js";
import { cli } from "../helpers/cli.js";
import { type TestServer, testServer } from "./api-helpers.js";

const PUROMYCIN = "examples/puromycin-treated.csv";
let t: TestServer;
let out: string;

beforeAll(async () => {
  t = await testServer();
  out = mkdtempSync(join(tmpdir(), "biograd-serve-test-"));
});
afterAll(async () => {
  await t.server.close();
  rmSync(out, { recursive: true, force: true });
});

/** A result without what differs from run to run (the time it was made). */
function stable(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (k, v) => (k === "createdAt" ? undefined : v));
}

describe("biograd serve: fits through the API", () => {
  it("fits Puromycin as runTask does, names the upload instead of its private path, and draws it", async () => {
    const up = await t.upload(PUROMYCIN);
    const request = {
      task: "fit-curve",
      model: "michaelis-menten",
      x: ["conc"],
      y: "rate",
      residuals: true,
    };
    const view = await t.settle(await t.submit({ ...request, data: { upload: up.id } }));
    expect(view.state).toBe("done");
    const stored = join(t.server.uploadDir, `${up.id}.csv`);
    const direct = await runTask({ ...request, data: { file: stored } });
    const named = JSON.parse(JSON.stringify(direct).split(stored).join("puromycin-treated.csv"));
    expect(stable(view.result)).toEqual(stable(named));
    expect(JSON.stringify(view)).not.toContain(t.server.uploadDir);
    const estimates = (view.result as { result: { estimates: Record<string, number> } }).result
      .estimates;
    expect(estimates.Vmax).toBeCloseTo(212.68, 1);
    // The chart `biograd plot` draws: 12 points and a curve.
    const fit = JSON.stringify(view.charts?.fit);
    expect(fit).toContain("residual");
    expect(view.progress?.done).toBeGreaterThan(0);
  });

  it("downloads results.csv byte-identical to `biograd fit --residuals`, and the other files", async () => {
    const up = await t.upload(PUROMYCIN);
    const id = await t.submit({
      task: "fit-curve",
      data: { upload: up.id },
      model: "michaelis-menten",
      x: ["conc"],
      y: "rate",
      residuals: true,
    });
    expect((await t.settle(id)).state).toBe("done");
    const csvPath = join(out, "res.csv");
    const run = await cli(
      "fit",
      PUROMYCIN,
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--residuals",
      csvPath,
    );
    expect(run.code).toBe(0);
    const csv = await t.api(`/api/tasks/${id}/download/results.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="results.csv"');
    expect(await csv.text()).toBe(readFileSync(csvPath, "utf8"));
    const model = await (await t.api(`/api/tasks/${id}/download/model.json`)).json();
    expect(model.kind).toBe("curve-fit");
    expect(model.data.file).toBe("puromycin-treated.csv");
    // The saved model predicts through the API as `biograd predict fit.json --at` does.
    const p = await t.settle(await t.submit({ task: "predict", model: { task: id }, at: [0.5] }));
    expect(p.state).toBe("done");
    const html = await (await t.api(`/api/tasks/${id}/download/report.html`)).text();
    expect(html).toContain("<svg");
    expect(html).not.toContain(t.server.uploadDir);
  });

  it("fits every group as `biograd fit --group --out results.csv`, byte for byte", async () => {
    const up = await t.upload("examples/dnase.csv");
    const request = {
      task: "fit-groups",
      group: ["run"],
      model: "logistic",
      x: ["lnconc"],
      y: "density",
    };
    const id = await t.submit({ ...request, data: { upload: up.id } });
    const view = await t.settle(id);
    expect(view.state).toBe("done");
    const csvPath = join(out, "groups.csv");
    const run = await cli(
      "fit",
      "examples/dnase.csv",
      "--group",
      "run",
      "--model",
      "logistic",
      "--x",
      "lnconc",
      "--y",
      "density",
      "--out",
      csvPath,
    );
    expect(run.code).toBe(0);
    const csv = await (await t.api(`/api/tasks/${id}/download/results.csv`)).text();
    expect(csv).toBe(readFileSync(csvPath, "utf8"));
    expect(csv.trim().split("\n").length - 1).toBe(11);
    expect(view.charts?.groups).toBeDefined();
  });

  it("compares models per group as `biograd compare --out`, byte for byte", async () => {
    const up = await t.upload("examples/dnase.csv");
    const request = {
      task: "compare-models",
      models: ["logistic", "gompertz"],
      group: ["run"],
      x: ["lnconc"],
      y: "density",
    };
    const id = await t.submit({ ...request, data: { upload: up.id } });
    expect((await t.settle(id)).state).toBe("done");
    const csvPath = join(out, "compare.csv");
    const run = await cli(
      "compare",
      "examples/dnase.csv",
      "--models",
      "logistic,gompertz",
      "--group",
      "run",
      "--x",
      "lnconc",
      "--y",
      "density",
      "--out",
      csvPath,
    );
    expect(run.code).toBe(0);
    const csv = await (await t.api(`/api/tasks/${id}/download/results.csv`)).text();
    expect(csv).toBe(readFileSync(csvPath, "utf8"));
    expect(csv.trim().split("\n").length - 1).toBe(22);
  });

  it("refuses a bad field at once with 400 and its name, as the task layer words it", async () => {
    const up = await t.upload(PUROMYCIN);
    const r = await t.api("/api/tasks", {
      method: "POST",
      body: JSON.stringify({
        task: "fit-curve",
        data: { upload: up.id },
        model: "michaelis-menten",
        x: ["conc"],
        y: 3,
      }),
    });
    expect(r.status).toBe(400);
    const direct = await runTask({
      task: "fit-curve",
      data: { file: PUROMYCIN },
      model: "michaelis-menten",
      x: ["conc"],
      y: 3,
    }).catch((e: Error) => e.message);
    expect(await r.json()).toEqual({ error: { message: direct, field: "y" } });
  });

  it("fails a task whose formula the compiler refuses, with the CLI's message and field", async () => {
    const up = await t.upload(PUROMYCIN);
    const request = {
      task: "fit-curve",
      model: "Vm*conc/(Kx+conc)",
      start: { Vm: 200, K: 0.1 },
      x: ["conc"],
      y: "rate",
    };
    const view = await t.settle(await t.submit({ ...request, data: { upload: up.id } }));
    expect(view.state).toBe("failed");
    const direct = await runTask({ ...request, data: { file: PUROMYCIN } }).catch(
      (e: Error) => e.message,
    );
    expect(view.error).toEqual({ message: direct, field: "formula" });
    expect(view.error?.message).toMatch(/^formula:1:\d+: unknown name "Kx"/);
  });

  it("names a bad cell of the upload by the file's name, line and column", async () => {
    const bad = join(out, "bad.csv");
    const text = readFileSync(PUROMYCIN, "utf8").replace("0.22,159", "0.22,x");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, text);
    const up = await t.upload(bad);
    expect((up.problems as { message: string }[])[0]?.message).toMatch(
      /^bad\.csv:\d+:2: column "rate": expected a number, got "x"/,
    );
    const view = await t.settle(
      await t.submit({
        task: "fit-curve",
        data: { upload: up.id },
        model: "michaelis-menten",
        x: ["conc"],
        y: "rate",
      }),
    );
    expect(view.state).toBe("failed");
    expect(view.error?.message).toMatch(/^bad\.csv:\d+:2: /);
    expect(view.error?.field).toBe("file");
    expect(readdirSync(t.server.uploadDir).length).toBeGreaterThan(0);
  });

  it("checks a formula live: its parameters, or the compiler's message and position", async () => {
    const check = (body: unknown) =>
      t
        .api("/api/check/formula", { method: "POST", body: JSON.stringify(body) })
        .then((r) => r.json());
    expect(await check({ formula: "Vm*conc/(K+conc)", x: ["conc"] })).toEqual({
      ok: true,
      parameters: ["Vm", "K"],
      variables: ["conc"],
    });
    const typo = await check({ formula: "Vm*conc/(Kx+conc)", x: ["conc"], params: ["Vm", "K"] });
    expect(typo.ok).toBe(false);
    expect(typo.message).toMatch(/^formula:1:10: unknown name "Kx"/);
    expect(typo.position).toBe(9);
    const syntax = await check({ formula: "Vm*conc/(K+", x: ["conc"] });
    expect(syntax.ok).toBe(false);
    expect(syntax.position).toBeGreaterThan(0);
  });
});
