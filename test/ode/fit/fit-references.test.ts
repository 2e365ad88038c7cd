import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runTask } from "../../../src/tasks/run-task.js";
import { cli } from "../../helpers/cli.js";

/**
 * `biograd ode fit --format json` against the scipy and R deSolve reference fits
 * (test/fixtures/ode/fit: the two agree to 2e-6). Lotka–Volterra runs with --solver dopri5:
 * it is not stiff, and "auto" currently switches it to RODAS (10× slower), see the report.
 */
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

const SOLVER: Record<string, string[]> = {
  "lotka-volterra": ["--solver", "dopri5"],
  "yeast-logistic": [],
  "pk-oral": [],
};

describe("biograd ode fit against scipy and R deSolve", () => {
  for (const name of ["lotka-volterra", "yeast-logistic", "pk-oral"]) {
    it(`${name}: estimates, standard errors and RSS agree with both to 5 digits`, async () => {
      const ref = scipy[name]!;
      const run = await cli(
        "ode",
        "fit",
        ref.model,
        ref.data,
        "--time",
        "t",
        "--format",
        "json",
        ...SOLVER[name]!,
      );
      expect(run.code).toBe(0);
      const out = JSON.parse(run.out.filter((l) => l !== "").at(-1)!) as {
        estimates: Record<string, number>;
        std_errors: Record<string, number>;
        rss: number;
        n: number;
        converged: boolean;
      };
      expect(out.converged).toBe(true);
      expect(out.n).toBe(ref.n);
      expect(Object.keys(out.estimates).sort()).toEqual(Object.keys(ref.estimates).sort());
      for (const other of [ref, r[name]!]) {
        expect(relative(out.rss, other.rss)).toBeLessThan(1e-5);
        for (const p of Object.keys(ref.estimates)) {
          expect(relative(out.estimates[p]!, other.estimates[p]!)).toBeLessThan(1e-5);
          expect(relative(out.std_errors[p]!, other.std_errors[p]!)).toBeLessThan(1e-5);
        }
      }
    });
  }

  it("the ode-fit task gives the CLI's numbers bit for bit", async () => {
    const run = await cli(
      "ode",
      "fit",
      "examples/ode/yeast-logistic.yaml",
      "examples/ode/yeast-carlson.csv",
      "--time",
      "t",
      "--format",
      "json",
    );
    const viaCli = JSON.parse(run.out.filter((l) => l !== "").at(-1)!) as {
      estimates: unknown;
      rss: number;
    };
    const viaTask = (await runTask({
      task: "ode-fit",
      model: { file: "examples/ode/yeast-logistic.yaml" },
      data: { file: "examples/ode/yeast-carlson.csv" },
      time: "t",
    })) as { result: { estimates: unknown; rss: number } };
    expect(viaTask.result.estimates).toEqual(viaCli.estimates);
    expect(viaTask.result.rss).toBe(viaCli.rss);
  });
});
