import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitOde } from "../../../src/ode/fit/fit-ode.js";
import { loadSetup } from "../../../src/ode/fit/setup.js";

/** biograd's ODE fits against the scipy and R deSolve reference fits (test/fixtures/ode/fit). */
interface Problem {
  model: string;
  data: string;
  estimates: Record<string, number>;
  std_errors: Record<string, number>;
  rss: number;
  n: number;
}
const read = (name: string) =>
  (
    JSON.parse(readFileSync(`test/fixtures/ode/fit/${name}`, "utf8")) as {
      problems: Record<string, Problem>;
    }
  ).problems;
const scipy = read("reference-scipy.json");
const r = read("reference-R.json");
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("ode fit against scipy and R deSolve", () => {
  for (const name of ["lotka-volterra", "yeast-logistic", "pk-oral"]) {
    it(`${name}: estimates, standard errors and RSS to 5 digits`, () => {
      const ref = scipy[name]!;
      const setup = {
        model: { file: ref.model },
        overrides: {},
        data: { file: ref.data, time: "t" },
        solve: {},
      };
      const { fit } = fitOde(loadSetup(setup).model, loadSetup(setup).data);
      expect(fit.converged).toBe(true);
      expect(fit.n).toBe(ref.n);
      for (const other of [ref, r[name]!]) {
        expect(relative(fit.rss, other.rss)).toBeLessThan(1e-5);
        fit.summary.names.forEach((p, k) => {
          expect(relative(fit.estimates[p]!, other.estimates[p]!)).toBeLessThan(1e-5);
          expect(relative(fit.summary.standardErrors![k]!, other.std_errors[p]!)).toBeLessThan(
            1e-5,
          );
        });
      }
    });
  }
});
