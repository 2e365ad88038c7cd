import { describe, expect, it } from "vitest";
import { withinRequestLimits } from "../../src/cli/fit-request-limits.js";
import type { FitCurveRequest } from "../../src/tasks/fit-curve-request.js";
import { fitCurveRequestSchema } from "../../src/tasks/fit-curve-request.js";
import { cli } from "../helpers/cli.js";

// `biograd fit` runs its own request without zod when withinRequestLimits says the schema
// would accept it (a fit's start-up loads no zod), and through the schema otherwise. So the one
// thing that must hold: within the limits ⇒ the schema accepts. Checked at, below and above
// every limit the schema sets on what the options can make; ordinary requests must be within.
const base: FitCurveRequest = {
  task: "fit-curve",
  data: { file: "a.csv" },
  model: "mm",
  x: ["conc"],
  y: "rate",
  codegen: true,
};
const text = (n: number) => "n".repeat(n);
const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const numbers = (n: number, v = 1) => Object.fromEntries(names(n).map((k) => [k, v]));

const cases: [string, Partial<FitCurveRequest>][] = [
  ["plain", {}],
  ["file empty", { data: { file: "" } }],
  ["na 100", { data: { file: "a", na: names(100) } }],
  ["na 101", { data: { file: "a", na: names(101) } }],
  ["na empty token", { data: { file: "a", na: [""] } }],
  ["delimiter", { data: { file: "a", delimiter: ";" } }],
  ["sheet empty", { data: { file: "a", sheet: "" } }],
  ["sheet 1000", { data: { file: "a", sheet: text(1000) } }],
  ["sheet 1001", { data: { file: "a", sheet: text(1001) } }],
  ["model empty", { model: "" }],
  ["model 10000", { model: text(10_000) }],
  ["model 10001", { model: text(10_001) }],
  ["x 1000 columns", { x: names(1000) }],
  ["x 1001 columns", { x: names(1001) }],
  ["x name 1000", { x: [text(1000)] }],
  ["x name 1001", { x: [text(1001)] }],
  ["x named", { x: { S: "substrate", I: "inhibitor" } }],
  ["x named, long column", { x: { S: text(1001) } }],
  ["x named, long variable", { x: { [text(1001)]: "s" } }],
  ["x named, __proto__", { x: JSON.parse('{"__proto__": "s"}') }],
  ["y empty", { y: "" }],
  ["y 1000", { y: text(1000) }],
  ["y 1001", { y: text(1001) }],
  ["start", { start: { Vm: 200, K: 0.05 } }],
  ["start 1000 names", { start: numbers(1000) }],
  ["start 1001 names", { start: numbers(1001) }],
  ["start Infinity", { start: { Vm: Number.POSITIVE_INFINITY } }],
  ["fix -Infinity", { fix: { n: Number.NEGATIVE_INFINITY } }],
  ["constants long name", { constants: { [text(1001)]: 1 } }],
  ["start __proto__", { start: JSON.parse('{"__proto__": 1}') }],
  ["bounds", { bounds: { K: { lower: 0, upper: null }, n: { lower: null, upper: 4 } } }],
  ["bounds long name", { bounds: { [text(1001)]: { lower: 0, upper: 1 } } }],
  ["weights", { weights: "1/y^2" }],
  ["weights empty", { weights: "" }],
  ["weights 1001", { weights: text(1001) }],
  ["logX", { logX: ["conc"] }],
  ["logX 1001", { logX: names(1001) }],
  ["logX long", { logX: [text(1001)] }],
  ["phases", { phases: ["clipped", "lm"] }],
  ["ci, residuals", { ci: "profile", residuals: true }],
];

describe("withinRequestLimits (biograd fit's requests without zod)", () => {
  it.each(cases)("%s: within the limits only when the schema accepts it", (name, change) => {
    const request = { ...base, ...change } as FitCurveRequest;
    const accepted = fitCurveRequestSchema.safeParse(request).success;
    const within = withinRequestLimits(request);
    if (within) expect(accepted).toBe(true);
    // Every ordinary request (the schema accepts it, no limit reached) runs without zod.
    if (accepted && !/1000|10000|__proto__|named/.test(name)) expect(within).toBe(true);
  });

  it("the limits are reached exactly where the schema's are (not far inside them)", () => {
    for (const [name, change] of cases) {
      if (!/ (1000|10000)( |$)/.test(name)) continue;
      const request = { ...base, ...change } as FitCurveRequest;
      expect([name, withinRequestLimits(request)]).toEqual([name, true]);
    }
  });

  it("a fit outside the limits gives the schema's message, naming the field", async () => {
    const file = "examples/puromycin-treated.csv";
    const args = ["fit", file, "--model", "mm", "--x", "conc", "--y", "rate"];
    expect(await cli(...args, "--start", "Km=1e999")).toEqual({
      code: 2,
      out: [],
      err: ["biograd: request: start.Km: expected number, received Infinity"],
    });
    const long = await cli(...args.slice(0, 6), "--y", text(1001));
    expect(long.code).toBe(2);
    expect(long.err).toEqual([
      "biograd: request: y: Too big: expected string to have <=1000 characters",
    ]);
  });
});
