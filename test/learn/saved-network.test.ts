import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { loadNetwork, predictNetwork } from "../../src/learn/saved-network.js";
import { runTrainNetwork } from "../../src/tasks/train-network.js";

const dir = mkdtempSync(join(tmpdir(), "biograd-saved-"));
const data = join(dir, "rows.csv");
writeFileSync(
  data,
  "id,a,b,group,y\n" +
    Array.from({ length: 40 }, (_, i) => {
      const a = Math.sin(i);
      const b = Math.cos(3 * i);
      return `s${i},${a},${b},${i % 3 === 0 ? "u" : "v"},${a - 2 * b > 0 ? "yes" : "no"}`;
    }).join("\n") +
    "\n",
);

let saved: Record<string, unknown>;
beforeAll(() => {
  const result = runTrainNetwork({
    task: "train-network",
    data: { file: data },
    x: ["a", "b", "group"],
    categorical: ["group"],
    y: "y",
    model: "mlp:16:tanh",
    problem: "classify",
    transform: { optimizer: { name: "adam", lr: 0.05 } },
    epochs: 5,
  });
  saved = JSON.parse(JSON.stringify(result.network));
});

const withParam = (name: string, value: unknown) => ({
  ...saved,
  params: { ...(saved.params as object), [name]: value },
});

describe("saved networks are checked by schema before use", () => {
  it("a valid file loads and predicts, carrying the other columns (id, observed y) first", () => {
    const net = loadNetwork("net.json", saved);
    const p = predictNetwork("net.json", net, data);
    expect(p.columns).toEqual(["id", "y", "a", "b", "group", "y_predicted", "p_no", "p_yes"]);
    expect(p.rows[3]!.slice(0, 2)).toEqual([
      "s3",
      Math.sin(3) - 2 * Math.cos(9) > 0 ? "yes" : "no",
    ]);
    expect(p.rows).toHaveLength(40);
  });

  const refused: [string, () => unknown, string | RegExp][] = [
    [
      "a null bias",
      () => withParam("dense1.b", null),
      "net.json: params.dense1.b: expected an array of 16 numbers",
    ],
    [
      "a string bias",
      () => withParam("dense1.b", "1"),
      "net.json: params.dense1.b: expected an array of 16 numbers",
    ],
    [
      "a short bias",
      () => withParam("dense1.b", [1, 2]),
      "net.json: params.dense1.b: expected an array of 16 numbers",
    ],
    [
      "a null inside a weight array",
      () =>
        withParam("dense2.W", [
          ...(saved.params as Record<string, number[]>)["dense2.W"]!.slice(1),
          null,
        ]),
      "net.json: params.dense2.W: expected an array of 16 numbers",
    ],
    [
      "an unknown parameter",
      () => withParam("dense9.W", [1]),
      "net.json: params.dense9.W: not a parameter of mlp:16:tanh",
    ],
    [
      "an absurd architecture",
      () => ({ ...saved, spec: { ...(saved.spec as object), model: "mlp:100000000" } }),
      /^net\.json: spec\.model: "mlp:100000000" has more than 50000000 parameters$/,
    ],
    [
      "a wrong-typed spec",
      () => ({ ...saved, spec: { ...(saved.spec as object), task: 3 } }),
      /^net\.json: spec\.task: /,
    ],
    [
      "a zero target scale",
      () => ({
        ...saved,
        preprocessing: { ...(saved.preprocessing as object), targetScale: { mean: 0, sd: 0 } },
      }),
      /^net\.json: preprocessing\.targetScale/,
    ],
    ["not a network", () => [1, 2], /^net\.json: not a biograd network/],
  ];
  for (const [name, doc, message] of refused) {
    it(`refuses ${name} with the JSON path`, () => {
      expect(() => loadNetwork("net.json", doc())).toThrow(message);
    });
  }

  it("property: any change to any field gives an InputError or a network that predicts", () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(v)) {
        for (const [i, x] of v.slice(0, 3).entries()) walk(x, [...path, i]);
      } else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(saved, []);
    const setAt = (doc: unknown, path: (string | number)[], value: unknown): unknown => {
      if (path.length === 0) return value;
      const [head, ...rest] = path;
      const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<
        string | number,
        unknown
      >;
      copy[head!] = setAt(copy[head!], rest, value);
      return copy;
    };
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const doc = setAt(saved, path, value);
        try {
          const net = loadNetwork("net.json", doc);
          predictNetwork("net.json", net, data);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.message).toMatch(/^(net\.json|.*rows\.csv)/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("property: arbitrary JSON is an InputError, never another exception", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => loadNetwork("net.json", value)).toThrow(InputError);
      }),
      { numRuns: 300 },
    );
  });
});
