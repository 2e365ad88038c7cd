import { describe, expect, it } from "vitest";
import { fitOde, freeSpecs } from "../../../src/ode/fit/fit-ode.js";
import { horizonWindows } from "../../../src/ode/fit/horizon-continuation.js";
import type { OdeData } from "../../../src/ode/fit/ode-data.js";
import { loadSetup } from "../../../src/ode/fit/setup.js";
import { latinHypercubeStarts, startRanges } from "../../../src/ode/fit/starts.js";

const lv = () =>
  loadSetup({
    model: { file: "examples/ode/lotka-volterra.yaml" },
    overrides: {},
    data: { file: "examples/ode/lotka-volterra.csv", time: "t" },
    solve: { solver: "dopri5" },
  });

describe("horizonWindows", () => {
  it("grows the window's span by 1.5 from 10 % of the data's (Lotka–Volterra: t = 0, 0.5, …, 15)", () => {
    // Spans 1.5, 2.25, 3.375, 5.06, 7.59, 11.39: the rows with t at or below each.
    expect(horizonWindows(lv().data, 6)).toEqual([4, 5, 7, 11, 16, 23]);
  });

  it("holds more measured cells than parameters, skipping empty cells", () => {
    const nan = Number.NaN;
    const data: OdeData = {
      source: "d.csv",
      timeColumn: "t",
      observables: ["a", "b"],
      times: Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
      // Row i measures both observables from row 3 on, only "a" before.
      values: Float64Array.from({ length: 22 }, (_, k) => (k < 6 && k % 2 === 1 ? nan : 1)),
      lines: Uint32Array.from({ length: 11 }, (_, i) => i + 2),
    };
    // 3 parameters: the first window (span 1, rows 0–1) must grow to 4 cells = rows 0–2
    // (1 each) + row 3 (2). The later spans (1.5, 2.25, 3.4, 5.1, 7.6) all end before the
    // next row's time, so each window adds the one row a window must add; 11.4 ends the list.
    expect(horizonWindows(data, 3)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(horizonWindows(data, 3, { first: 0.5, growth: 3 })).toEqual([6]);
    expect(horizonWindows({ ...data, times: data.times.subarray(0, 1) }, 1)).toEqual([]);
  });
});

describe("fitOde with the time-horizon continuation", () => {
  it("reaches the best value from a far start where Levenberg–Marquardt alone stops in a local optimum", () => {
    const { model, data } = lv();
    const specs = freeSpecs(model);
    // Start 4 of the seeded 20-start Latin hypercube of the default (factor-10) box.
    const draws = latinHypercubeStarts(startRanges(specs), 20, 1);
    const start = draws.slice(4 * 6, 5 * 6);
    const common = {
      solver: "dopri5" as const,
      rtol: 1e-8,
      atol: 1e-10,
      firstOrder: false as const,
    };
    const plain = fitOde(model, data, { ...common, continuation: false, start });
    expect(plain.fit.rss).toBeGreaterThan(1000);
    const continued = fitOde(model, data, { ...common, lmFromStart: false, start });
    expect(continued.fit.rss).toBeCloseTo(52.502161, 4);
    expect(continued.fit.phases.find((p) => p.chosen)!.from).toBe("continuation");
    const stages = continued.continuation!.stages;
    expect(stages.map((s) => s.rows)).toEqual([4, 5, 7, 11, 16, 23]);
    expect(stages.every((s) => s.kept)).toBe(true);
    // Each window's optimum fits more data, so its RSS grows with the window.
    for (let k = 1; k < stages.length; k++)
      expect(stages[k]!.rss!).toBeGreaterThan(stages[k - 1]!.rss!);
  }, 60_000);

  it("is not needed from the model file's start: LM from the start stands alone, at the continuation route's estimates", () => {
    const { model, data } = lv();
    const first = fitOde(model, data, { solver: "dopri5" });
    const continued = fitOde(model, data, { solver: "dopri5", lmFromStart: false });
    expect(first.fit.converged && continued.fit.converged).toBe(true);
    // LM from the start converged inside the box with residuals like the optimum's: neither
    // the continuation nor the first-order phase ran.
    expect(first.continuation).toBeNull();
    expect(first.fit.phases.map((p) => [p.from, p.chosen])).toEqual([["start", true]]);
    expect(continued.continuation!.stages.length).toBe(6);
    for (const name of model.parameters.free) {
      expect(first.fit.estimates[name]!).toBeCloseTo(continued.fit.estimates[name]!, 7);
    }
    expect(first.fit.rss).toBeCloseTo(continued.fit.rss, 8);
  }, 60_000);

  it("runs when LM from the start ends in a local optimum, and reaches the best value", () => {
    const { model, data } = lv();
    // The far start of the first test: LM alone stops at RSS > 1000 (a period off).
    const start = latinHypercubeStarts(startRanges(freeSpecs(model)), 20, 1).slice(4 * 6, 5 * 6);
    const fit = fitOde(model, data, {
      solver: "dopri5",
      rtol: 1e-8,
      atol: 1e-10,
      firstOrder: false,
      start,
    });
    expect(fit.fit.phases[0]!.from).toBe("start");
    expect(fit.fit.phases[0]!.rss).toBeGreaterThan(1000);
    expect(fit.continuation).not.toBeNull();
    expect(fit.fit.rss).toBeCloseTo(52.502161, 4);
  }, 60_000);
});
