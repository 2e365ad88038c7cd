import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const WDBC = example("breast-cancer-wisconsin.csv");
const DIABETES = example("diabetes.csv");
const dir = mkdtempSync(join(tmpdir(), "biograd-net-"));

/** The metrics table row for `part` as numbers, by column name. */
function metricsOf(out: string[], part: string): Record<string, number> {
  const header = out
    .find((l) => /^\s+loss/.test(l))!
    .trim()
    .split(/\s+/);
  const row = out
    .find((l) => l.startsWith(`${part} `))!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return Object.fromEntries(header.map((h, i) => [h, row[i]!]));
}

describe("biograd train with networks on real data", () => {
  const mlp = [
    WDBC,
    "--y",
    "diagnosis",
    "--task",
    "classify",
    "--model",
    "mlp:16:relu",
    "--epochs",
    "60",
    "--early-stopping",
    "10",
    "--optimizer",
    "adam:0.003",
    "--seed",
    "1",
  ];

  it("an MLP classifies the Wisconsin breast-cancer data: test accuracy >= 0.95, AUC >= 0.98", async () => {
    const r = await cli("train", ...mlp);
    expect(r.code, r.err.join("\n")).toBe(0);
    const test = metricsOf(r.out, "test");
    expect(test.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(test.auc).toBeGreaterThanOrEqual(0.98);
    expect(r.out.join("\n")).toMatch(/train 398, validation 86, test 85/);
  });

  it("the same seed gives bit-identical models twice (and another seed a different one)", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    const c = join(dir, "c.json");
    await cli("train", ...mlp, "--save", a);
    await cli("train", ...mlp, "--save", b);
    await cli("train", ...mlp.slice(0, -1), "2", "--save", c);
    const params = (f: string) => JSON.stringify(JSON.parse(readFileSync(f, "utf8")).params);
    expect(params(b)).toBe(params(a));
    expect(params(c)).not.toBe(params(a));
  });

  it("an MLP regressor on the diabetes data reaches test R² >= 0.35 (a linear fit gets ~0.45)", async () => {
    const r = await cli(
      "train",
      DIABETES,
      "--y",
      "progression",
      "--model",
      "mlp:16:tanh",
      "--epochs",
      "200",
      "--early-stopping",
      "20",
      "--optimizer",
      "adam:0.01",
      "--seed",
      "3",
      "--categorical",
      "sex",
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    expect(metricsOf(r.out, "test").r2).toBeGreaterThanOrEqual(0.35);
  });

  it("--save and predict: classes and probabilities for new rows; the model file carries its preprocessing", async () => {
    const model = join(dir, "model.json");
    expect((await cli("train", ...mlp, "--save", model)).code).toBe(0);
    const saved = JSON.parse(readFileSync(model, "utf8"));
    expect(saved.kind).toBe("network");
    expect(saved.preprocessing.labels.levels).toEqual(["B", "M"]);
    expect(saved.preprocessing.standardizer.columns).toHaveLength(30);
    const p = await cli("predict", model, WDBC);
    expect(p.code).toBe(0);
    expect(p.out[0]!.split(",").slice(-3)).toEqual(["diagnosis_predicted", "p_B", "p_M"]);
    const rows = p.out.slice(1).filter((l) => l !== "");
    expect(rows).toHaveLength(569);
    const truth = readFileSync(WDBC, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    const right = rows.filter((l, i) => l.split(",").at(-3) === truth[i]).length;
    expect(right / 569).toBeGreaterThan(0.95);
  });

  describe("bad input: exit 2 and one clear line", () => {
    const twoLabels = join(dir, "labels12.csv");
    writeFileSync(twoLabels, "a,b,y\n1,2,1\n2,3,2\n3,1,1\n4,5,2\n5,4,1\n6,6,2\n7,7,1\n8,9,2\n");
    const nan = join(dir, "nan.csv");
    writeFileSync(nan, "a,b,y\n1,2,0\n2,NaN,1\n3,1,0\n");
    const model = join(dir, "m.json");
    const cases: [string, () => Promise<string[]>, RegExp][] = [
      [
        "unknown activation",
        async () => [WDBC, "--y", "diagnosis", "--task", "classify", "--model", "mlp:8:swish"],
        /swish/,
      ],
      [
        "binary labels other than 0/1",
        async () => [twoLabels, "--y", "y", "--model", "logistic"],
        /binary labels "1", "2" are numbers other than 0 and 1/,
      ],
      [
        "class labels with the default regression task",
        async () => [WDBC, "--y", "diagnosis", "--model", "mlp:4"],
        /column "diagnosis": expected a number, got "M"; for class labels use --task classify$/,
      ],
      [
        "NaN in features without --na",
        async () => [nan, "--y", "y", "--model", "logistic"],
        /nan\.csv:3:2: column "b": expected a number, got "NaN"/,
      ],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const r = await cli("train", ...(await args()));
        expect(r.code).toBe(2);
        const lines = r.err.filter((l) => l !== "");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
      });
    }

    it("wrong columns at predict time", async () => {
      expect((await cli("train", ...mlp, "--epochs", "2", "--save", model)).code).toBe(0);
      const other = join(dir, "other.csv");
      writeFileSync(other, "radius,texture\n1,2\n");
      const r = await cli("predict", model, other);
      expect(r.code).toBe(2);
      expect(r.err.filter((l) => l !== "")).toEqual([
        expect.stringMatching(/other\.csv:1: no column "radius_mean"/),
      ]);
    });

    it("an incompatible version", async () => {
      const saved = JSON.parse(readFileSync(model, "utf8"));
      const old = join(dir, "old.json");
      writeFileSync(old, JSON.stringify({ ...saved, biograd: "0.0.1" }));
      const r = await cli("predict", old, WDBC);
      expect(r.code).toBe(2);
      expect(r.err.join("\n")).toMatch(
        /saved by biograd 0\.0\.1, which this version \(.*\) cannot read/,
      );
    });
  });
});
