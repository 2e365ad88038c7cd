import { describe, expect, it } from "vitest";
import { compileFormula } from "../../src/formula/index.js";
import { fitCurve } from "../../src/nls/fit-curve.js";
import { loadNist, lre, NIST_NAMES, type NistName } from "../helpers/nist.js";

/** The six NIST models as a user would type them (test/helpers/nist.ts has them by hand). */
const FORMULAS: Record<NistName, string> = {
  Misra1a: "b1*(1-exp(-b2*x))",
  Thurber: "(b1 + b2*x + b3*x^2 + b4*x^3) / (1 + b5*x + b6*x^2 + b7*x^3)",
  MGH09: "b1*(x^2+x*b2) / (x^2+x*b3+b4)",
  Rat43: "b1 / ((1+exp(b2-b3*x))^(1/b4))",
  BoxBOD: "b1*(1-exp(-b2*x))",
  Eckerle4: "(b1/b2) * exp(-0.5*((x-b3)/b2)^2)",
};

/**
 * The whole default pipeline — formula compiler, clipped first-order phase, Levenberg–Marquardt
 * polish, summary — from both NIST starting points, scored in matching digits (log relative
 * error) against the certified values. test/nls/solvers/nist.test.ts checks the solver alone.
 */
describe("NIST StRD through biograd's default fit", () => {
  for (const name of NIST_NAMES) {
    for (const start of [1, 2] as const) {
      it(`${name}, start ${start}: estimates, RSS and standard errors to >= 6 digits`, () => {
        const data = loadNist(name);
        const params = data.params.map((p) => p.name);
        const curve = compileFormula(FORMULAS[name], { params, variables: ["x"] });
        const fit = fitCurve(
          curve,
          { columns: [data.x], y: data.y, weights: null },
          data.params.map((p) => ({ name: p.name, start: start === 1 ? p.start1 : p.start2 })),
        );
        expect(fit.converged).toBe(true);
        for (const [j, p] of data.params.entries()) {
          expect(lre(fit.theta[j]!, p.certified), `${p.name}`).toBeGreaterThanOrEqual(6);
          expect(
            lre(fit.summary.standardErrors![j]!, p.certifiedSd),
            `${p.name} sd`,
          ).toBeGreaterThanOrEqual(4);
        }
        expect(lre(fit.rss, data.rss)).toBeGreaterThanOrEqual(6);
      });
    }
  }
});
