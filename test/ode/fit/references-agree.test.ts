import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The scipy and R reference fits must agree before biograd is judged against them. */
interface Reference {
  problems: Record<
    string,
    {
      estimates: Record<string, number>;
      std_errors: Record<string, number>;
      rss: number;
      n: number;
    }
  >;
}

const read = (name: string): Reference =>
  JSON.parse(readFileSync(`test/fixtures/ode/fit/${name}`, "utf8")) as Reference;

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("ODE fit references", () => {
  const scipy = read("reference-scipy.json");
  const r = read("reference-R.json");

  it("hold the same three problems", () => {
    expect(Object.keys(r.problems).sort()).toEqual(Object.keys(scipy.problems).sort());
    expect(Object.keys(scipy.problems).sort()).toEqual([
      "lotka-volterra",
      "pk-oral",
      "yeast-logistic",
    ]);
  });

  for (const name of ["lotka-volterra", "yeast-logistic", "pk-oral"]) {
    it(`${name}: scipy and R deSolve agree to 1e-5 relative on estimates, SEs and RSS`, () => {
      const a = scipy.problems[name];
      const b = r.problems[name];
      if (a === undefined || b === undefined) throw new Error(`missing ${name}`);
      expect(b.n).toBe(a.n);
      expect(relative(b.rss, a.rss)).toBeLessThan(1e-5);
      for (const [key, value] of Object.entries(a.estimates)) {
        expect(relative(b.estimates[key] ?? Number.NaN, value)).toBeLessThan(1e-5);
        expect(relative(b.std_errors[key] ?? Number.NaN, a.std_errors[key] ?? 0)).toBeLessThan(
          1e-5,
        );
      }
    });
  }
});
