import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { loadNist, lre, NIST_MODELS, NIST_NAMES, nistProblem } from "../../helpers/nist.js";
import { type NistRun, nistMarkdown, runAllNist, runNist } from "../../helpers/nist-report.js";

const runs: NistRun[] = [];
const PARAMS = { Misra1a: 2, Thurber: 7, MGH09: 4, Rat43: 4, BoxBOD: 2, Eckerle4: 3 };

describe("NIST StRD fixtures", () => {
  test.each(NIST_NAMES)(
    "%s: header, counts and certified RSS at the certified estimates",
    (name) => {
      const data = loadNist(name);
      expect(data.x.length).toBe(data.observations);
      expect(data.params.length).toBe(PARAMS[name]);
      // The transcription of the data and the model: RSS at the certified θ is the certified RSS.
      const problem = nistProblem(data, NIST_MODELS[name]);
      const r = new Float64Array(problem.n);
      problem.residuals(Float64Array.from(data.params.map((q) => q.certified)), r, null);
      const rss = r.reduce((s, v) => s + v * v, 0);
      expect(lre(rss, data.rss)).toBeGreaterThanOrEqual(9);
      // NIST's residual standard deviation is √(RSS/(n − p)).
      const p = data.params.length;
      expect(
        lre(Math.sqrt(data.rss / (data.observations - p)), data.residualSd),
      ).toBeGreaterThanOrEqual(9);
    },
  );
});

describe("levenbergMarquardt + nlsSummary on NIST StRD, default options", () => {
  for (const name of NIST_NAMES) {
    for (const start of [1, 2] as const) {
      test(`${name}, Start ${start}: estimates and RSS to >= 6 digits, SEs and s to >= 4`, () => {
        const run = runNist(name, start);
        runs.push(run);
        expect(run.converged).toBe(true);
        for (const q of run.params) {
          expect(
            q.lre,
            `${q.name} estimate ${q.estimate} vs ${q.certified}`,
          ).toBeGreaterThanOrEqual(6);
          expect(q.seLre, `${q.name} SE ${q.se} vs ${q.certifiedSd}`).toBeGreaterThanOrEqual(4);
        }
        expect(run.rssLre).toBeGreaterThanOrEqual(6);
        expect(run.sigmaLre).toBeGreaterThanOrEqual(4);
        expect(run.warnings).toEqual([]);
      });
    }
  }
});

afterAll(() => {
  if (process.env.BIOGRAD_WRITE_NIST_MD !== "1") return;
  const order = (r: NistRun) => NIST_NAMES.indexOf(r.problem) * 2 + r.start;
  const defaults = [...runs].sort((a, b) => order(a) - order(b));
  if (defaults.length !== NIST_NAMES.length * 2) return; // a filtered run: keep the doc as is
  const minpack = runAllNist({ initialStepBound: 100 });
  const noTolerance = runAllNist({ ftol: 0, xtol: 0, gtol: 0 });
  const path = fileURLToPath(new URL("../../../docs/NIST.md", import.meta.url));
  writeFileSync(path, nistMarkdown(defaults, minpack, noTolerance));
});
