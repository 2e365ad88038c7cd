/**
 * `biograd ode simulate` against independent solutions: SIR against a tiny fixed-step RK4
 * written here, the oral PK model with a second dose against its closed form (states and
 * sensitivities), and the one-line errors of bad flags.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const [head, ...lines] = text.trim().split("\n");
  return { header: head!.split(","), rows: lines.map((l) => l.split(",").map(Number)) };
}

/** SIR by classical RK4 with a small fixed step (independent of the compiled model). */
function sirRk4(beta: number, gamma: number, N: number, times: number[]): number[][] {
  const f = ([S, I]: number[]): number[] => [
    (-beta * S! * I!) / N,
    (beta * S! * I!) / N - gamma * I!,
    gamma * I!,
  ];
  let y = [N - 1, 1, 0];
  let t = 0;
  const h = 1e-3;
  const out: number[][] = [];
  for (const target of times) {
    while (t < target - 1e-12) {
      const step = Math.min(h, target - t);
      const k1 = f(y);
      const k2 = f(y.map((v, i) => v + (step / 2) * k1[i]!));
      const k3 = f(y.map((v, i) => v + (step / 2) * k2[i]!));
      const k4 = f(y.map((v, i) => v + step * k3[i]!));
      y = y.map((v, i) => v + (step / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
      t += step;
    }
    out.push(y);
  }
  return out;
}

/** Central amount of the one-compartment oral model: doses D at times τ into the gut. */
function pkCentral(t: number, ka: number, ke: number, doses: [number, number][]): number {
  return doses
    .filter(([tau]) => t >= tau)
    .reduce((acc, [tau, D]) => {
      const s = t - tau;
      return acc + ((D * ka) / (ka - ke)) * (Math.exp(-ke * s) - Math.exp(-ka * s));
    }, 0);
}

describe("biograd ode simulate", () => {
  it("SIR agrees with an independent RK4 to 1e-6 relative; columns t, states, observables", async () => {
    const r = await cli(
      "ode",
      "simulate",
      "examples/ode/sir.yaml",
      "--params",
      "beta=1.8,gamma=0.45",
      "--times",
      "0:0.5:14",
      "--rtol",
      "1e-10",
      "--atol",
      "1e-10",
    );
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(r.out.join("\n"));
    expect(header).toEqual(["t", "S", "I", "R", "observable:I"]);
    expect(rows.length).toBe(29);
    expect(rows[28]![0]).toBe(14);
    const ref = sirRk4(
      1.8,
      0.45,
      763,
      rows.map((row) => row[0]!),
    );
    rows.forEach((row, k) => {
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(row[1 + i]! - ref[k]![i]!)).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(ref[k]![i]!)),
        );
      }
      expect(row[4]).toBe(row[2]);
    });
  });

  it.each(["dopri5", "rodas"])(
    "oral PK with a second dose (%s): closed form, and d(central)/d(ka) against its finite difference",
    async (solver) => {
      const dir = mkdtempSync(join(tmpdir(), "ode-sim-"));
      const out = join(dir, "traj.csv");
      const r = await cli(
        "ode",
        "simulate",
        "examples/ode/pk-oral.yaml",
        "--params",
        "ka=1.3,ke=0.12",
        "--times",
        "0,1,6,11.5,12,12.5,18,30",
        "--sensitivities",
        "--solver",
        solver,
        "--rtol",
        "1e-10",
        "--atol",
        "1e-10",
        "--out",
        out,
      );
      expect(r.code).toBe(0);
      expect(r.err[0]).toMatch(/^wrote .*traj\.csv \(8 times × 10 columns; /);
      const { header, rows } = parseCsv(readFileSync(out, "utf8"));
      expect(header).toEqual([
        "t",
        "gut",
        "central",
        "conc",
        "dgut/dka",
        "dgut/dke",
        "dgut/dV",
        "dcentral/dka",
        "dcentral/dke",
        "dcentral/dV",
      ]);
      const doses: [number, number][] = [
        [0, 320],
        [12, 320],
      ];
      const h = 1e-6;
      const gut = (t: number): number =>
        doses
          .filter(([tau]) => t >= tau)
          .reduce((a, [tau, D]) => a + D * Math.exp(-1.3 * (t - tau)), 0);
      for (const row of rows) {
        const t = row[0]!;
        const c = pkCentral(t, 1.3, 0.12, doses);
        expect(Math.abs(row[2]! - c)).toBeLessThan(1e-7 * Math.max(1, c));
        expect(Math.abs(row[1]! - gut(t))).toBeLessThan(1e-7 * Math.max(1, gut(t)));
        expect(row[3]).toBeCloseTo(row[2]! / 30, 12);
        const dka =
          (pkCentral(t, 1.3 + h, 0.12, doses) - pkCentral(t, 1.3 - h, 0.12, doses)) / (2 * h);
        expect(Math.abs(row[7]! - dka)).toBeLessThan(1e-6 * Math.max(1, Math.abs(dka)));
        expect(row[9]).toBe(0);
      }
    },
  );

  it.each(["dopri5", "rodas"])(
    "logistic growth (%s): the logistic formula and its r-sensitivity",
    async (solver) => {
      const r = await cli(
        "ode",
        "simulate",
        "examples/ode/logistic.yaml",
        "--params",
        "r=0.8,K=2,N0=0.05",
        "--times",
        "0:2:20",
        "--sensitivities",
        "--solver",
        solver,
        "--rtol",
        "1e-10",
        "--atol",
        "1e-12",
      );
      expect(r.code).toBe(0);
      const { header, rows } = parseCsv(r.out.join("\n"));
      expect(header).toEqual(["t", "N", "od", "dN/dr", "dN/dK", "dN/dN0"]);
      const logistic = (t: number, rate: number): number =>
        2 / (1 + ((2 - 0.05) / 0.05) * Math.exp(-rate * t));
      for (const [t, N, od, dNdr] of rows) {
        expect(Math.abs(N! - logistic(t!, 0.8))).toBeLessThan(1e-8 * Math.max(1, N!));
        expect(od).toBe(N);
        const fd = (logistic(t!, 0.8 + 1e-6) - logistic(t!, 0.8 - 1e-6)) / 2e-6;
        expect(Math.abs(dNdr! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    },
  );

  it("a fixed parameter takes --params; --const and the model's t0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ode-sim-"));
    const model = join(dir, "decay.yaml");
    writeFileSync(
      model,
      "states: [x]\nparameters: {k: {start: 1, fixed: true}}\nconstants: {x0: 1}\n" +
        "equations: {x: -k*x}\ninitial: {x: x0}\nt0: 2\n",
    );
    const r = await cli(
      "ode",
      "simulate",
      model,
      "--params",
      "k=0.5",
      "--const",
      "x0=4",
      "--times",
      "2,3,5",
    );
    expect(r.code).toBe(0);
    const { rows } = parseCsv(r.out.join("\n"));
    rows.forEach(([t, x]) => {
      expect(x).toBeCloseTo(4 * Math.exp(-0.5 * (t! - 2)), 6);
    });
    const early = await cli("ode", "simulate", model, "--times", "0:1:5");
    expect(early.code).toBe(2);
    expect(early.err).toEqual([
      "biograd: --times: the first time 0 is before the model's t0 = 2 (output times start at t0)",
    ]);
  });

  it.each([
    [["--times", "0:-1:5"], '--times: the step must be > 0 in start:step:end, got "0:-1:5"'],
    [["--times", "5:1:0"], '--times: the end must be ≥ the start in start:step:end, got "5:1:0"'],
    [["--times", "0,2,1"], "--times: times must not decrease, got 2 then 1"],
    [["--times", "0:1"], '--times: expected start:step:end or a list t1,t2,…, got "0:1"'],
    [["--times", "0,x"], '--times: expected a number, got "x"'],
    [["--times", "0:1:5", "--rtol", "-1"], '--rtol: expected a number > 0, got "-1"'],
    [
      ["--times", "0:1:5", "--params", "betta=1"],
      '--params: "betta" is not a parameter of the model (parameters: beta, gamma)',
    ],
    [
      ["--times", "0:1:5", "--condition", "x"],
      '--condition: unknown condition "x"; conditions are none (the model has no conditions)',
    ],
  ])("%j: one line, exit 2", async (args, message) => {
    const r = await cli("ode", "simulate", "examples/ode/sir.yaml", ...args);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`biograd: ${message}`]);
  });

  it("a malformed model file: its one-line error, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ode-sim-"));
    const model = join(dir, "bad.yaml");
    writeFileSync(model, "states: [x]\nequations: {x: -k*x}\ninitial: {x: 1}\n");
    const r = await cli("ode", "simulate", model, "--times", "0:1:5");
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`biograd: ${model}:2:17: equations.x: unknown name "k"; states are x`]);
  });

  it("the step limit: exit 1 with the integrator's message naming the time reached", async () => {
    const r = await cli(
      "ode",
      "simulate",
      "examples/ode/sir.yaml",
      "--times",
      "0:1:50",
      "--max-steps",
      "5",
    );
    expect(r.code).toBe(1);
    expect(r.err.length).toBe(1);
    expect(r.err[0]).toMatch(/^biograd: examples\/ode\/sir\.yaml: .*\bt = /);
  });
});
