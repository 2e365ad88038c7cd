import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import { type CategoricalColumn, parseTable, tableColumn } from "../../src/data/table.js";
import {
  encodeFeatures,
  featureEncoderFromJSON,
  fitFeatureEncoder,
  tableToDataset,
} from "../../src/prep/features.js";
import { decodeLabels, encodeLabels, fitLabels } from "../../src/prep/labels.js";
import { encodeOneHot, fitOneHot, oneHotNames } from "../../src/prep/one-hot.js";
import { inputError, thrown } from "./helpers.js";

const TRAIN = "tissue,dose,status\nliver,1,case\nbrain,2,control\nliver,3,control\nheart,4,case\n";
const NEW = "tissue,dose,status\nbrain,5,case\nkidney,6,control\n";
const COLUMNS = [
  { name: "tissue", type: "categorical" },
  { name: "dose", type: "numeric" },
  { name: "status", type: "categorical" },
] as const;

const levels = (name: string, ...values: string[]) => {
  const t = parseTable([name, ...values].join("\n"), "labels.csv", {
    columns: [{ name, type: "categorical" }],
  });
  return tableColumn(t, name) as CategoricalColumn;
};

describe("one-hot", () => {
  it("encodes each level as an indicator column, optionally dropping the first", () => {
    const enc = fitOneHot({ name: "tissue", levels: ["brain", "heart", "liver"] });
    expect(oneHotNames(enc)).toEqual(["tissue=brain", "tissue=heart", "tissue=liver"]);
    expect([...encodeOneHot(enc, ["liver", "brain"])]).toEqual([0, 0, 1, 1, 0, 0]);
    const drop = fitOneHot(
      { name: "tissue", levels: ["brain", "heart", "liver"] },
      { drop: "first" },
    );
    expect(oneHotNames(drop)).toEqual(["tissue=heart", "tissue=liver"]);
    expect([...encodeOneHot(drop, ["liver", "brain"])]).toEqual([0, 1, 0, 0]);
    expect(
      thrown(() => fitOneHot({ name: "t", levels: ["a"] }, { drop: "last" as "first" })),
    ).toBeInstanceOf(OptionError);
  });

  it("refuses a level it was not fitted with, naming the column, value, place and known levels", () => {
    const enc = fitOneHot({ name: "tissue", levels: ["brain", "heart", "liver"] });
    expect(inputError(() => encodeOneHot(enc, ["liver", "kidney"]))).toMatchInlineSnapshot(
      `"row 1 (0-based): column "tissue": unknown level "kidney" (known levels: "brain", "heart", "liver"); the encoding was fitted without it"`,
    );
    expect(
      inputError(() =>
        encodeOneHot(enc, ["liver", "kidney"], { source: "new.csv", lines: [2, 3], field: 1 }),
      ),
    ).toMatchInlineSnapshot(
      `"new.csv:3:1: column "tissue": unknown level "kidney" (known levels: "brain", "heart", "liver"); the encoding was fitted without it"`,
    );
  });
});

describe("labels", () => {
  it("binary: two levels, class 1 the second in order or the named positive", () => {
    const d = levels("diagnosis", "M", "B", "M");
    const enc = fitLabels(d, { task: "binary" });
    expect(enc.levels).toEqual(["B", "M"]);
    expect([...encodeLabels(enc, d.values)]).toEqual([1, 0, 1]);
    const s = levels("status", "case", "control");
    expect(fitLabels(s, { task: "binary" }).levels).toEqual(["case", "control"]);
    expect(fitLabels(s, { task: "binary", positive: "case" }).levels).toEqual(["control", "case"]);
    expect(fitLabels(levels("y", "1", "0"), { task: "binary" }).levels).toEqual(["0", "1"]);
    expect(fitLabels(levels("y", "1", "2"), { task: "binary", positive: "1" }).levels).toEqual([
      "2",
      "1",
    ]);
    expect(decodeLabels(enc, [0, 1, 1])).toEqual(["B", "M", "M"]);
  });

  it("binary: anything but exactly two levels is an error, as are ambiguous numeric labels", () => {
    expect(
      inputError(() => fitLabels(levels("diagnosis", "M", "B", "X"), { task: "binary" })),
    ).toMatchInlineSnapshot(
      `"column "diagnosis": a binary task needs exactly two classes, found 3: "B", "M", "X"; use task "multiclass" or correct the labels"`,
    );
    expect(
      inputError(() => fitLabels(levels("diagnosis", "M", "M"), { task: "binary" })),
    ).toMatchInlineSnapshot(
      `"column "diagnosis": a classification task needs at least two classes, found only "M" (every row has the same label)"`,
    );
    expect(
      inputError(() => fitLabels(levels("y", "1", "2"), { task: "binary" })),
    ).toMatchInlineSnapshot(
      `"column "y": binary labels "1", "2" are numbers other than 0 and 1; say which is the positive class (positive: "2")"`,
    );
    expect(
      inputError(() => fitLabels(levels("y", "-1", "1"), { task: "binary", positive: "+1" })),
    ).toMatchInlineSnapshot(
      `"column "y": the positive class "+1" is not one of the labels "-1", "1""`,
    );
  });

  it("multiclass: integer labels → 0..K−1 in numeric order; unseen labels are refused", () => {
    const c = levels("cultivar", "3", "1", "2", "10");
    const enc = fitLabels(c, { task: "multiclass" });
    expect(enc.levels).toEqual(["1", "2", "3", "10"]);
    expect([...encodeLabels(enc, c.values)]).toEqual([2, 0, 1, 3]);
    expect(inputError(() => encodeLabels(enc, ["1", "4"]))).toMatchInlineSnapshot(
      `"row 1 (0-based): column "cultivar": unknown label "4" (known labels: "1", "2", "3", "10"); the encoding was fitted without it"`,
    );
    expect(
      thrown(() => fitLabels(c, { task: "multiclass", positive: "1" })).message,
    ).toMatchInlineSnapshot(`"fitLabels: positive must be unset for a multiclass task, got "1""`);
    expect(thrown(() => decodeLabels(enc, [4])).message).toMatchInlineSnapshot(
      `"decodeLabels: classes[0] = 4 is not a class index in 0..3"`,
    );
  });
});

describe("feature encoder and tableToDataset", () => {
  const train = parseTable(TRAIN, "train.csv", { columns: COLUMNS });
  const encoder = fitFeatureEncoder(train, ["dose", "tissue"]);
  const labels = fitLabels(tableColumn(train, "status") as CategoricalColumn, {
    task: "binary",
    positive: "case",
  });

  it("passes numeric columns through and one-hot encodes categorical ones", () => {
    expect(encoder.features).toEqual(["dose", "tissue=brain", "tissue=heart", "tissue=liver"]);
    const d = tableToDataset(train, encoder, { labels });
    expect(d.rows).toBe(4);
    expect(d.target).toBe("status");
    expect([...d.x]).toEqual([1, 0, 0, 1, 2, 1, 0, 0, 3, 0, 0, 1, 4, 0, 1, 0]);
    expect([...d.y]).toEqual([1, 0, 0, 1]);
    const first = fitFeatureEncoder(train, ["tissue"], { drop: "first" });
    expect(encodeFeatures(first, train).features).toEqual(["tissue=heart", "tissue=liver"]);
  });

  it("round-trips through JSON and refuses unseen levels in new data with file:line:column", () => {
    const loaded = featureEncoderFromJSON(JSON.parse(JSON.stringify(encoder)));
    expect(loaded).toEqual(encoder);
    const fresh = parseTable(NEW, "new.csv", { columns: COLUMNS });
    expect(inputError(() => encodeFeatures(loaded, fresh))).toMatchInlineSnapshot(
      `"new.csv:3:1: column "tissue": unknown level "kidney" (known levels: "brain", "heart", "liver"); the encoding was fitted without it"`,
    );
    const regression = tableToDataset(train, encoder, { column: "dose" });
    expect([...regression.y]).toEqual([1, 2, 3, 4]);
  });

  it("refuses a column read with the wrong type, and malformed JSON", () => {
    const asText = parseTable(TRAIN, "train.csv", {
      columns: [
        { name: "tissue", type: "categorical" },
        { name: "dose", type: "categorical" },
      ],
    });
    expect(inputError(() => encodeFeatures(encoder, asText))).toMatchInlineSnapshot(
      `"train.csv: column "dose" was fitted as numeric but read as categorical; read it as numeric"`,
    );
    expect(
      inputError(() => tableToDataset(train, encoder, { column: "status" })),
    ).toMatchInlineSnapshot(
      `"train.csv: target column "status" must be read as numeric for regression (for class labels, pass a label encoder)"`,
    );
    expect(
      inputError(() =>
        featureEncoderFromJSON({
          inputs: [{ name: "t", type: "categorical", levels: ["a", "a"], drop: "none" }],
        }),
      ),
    ).toMatchInlineSnapshot(
      `"feature encoder JSON: inputs[0].levels must be a non-empty list of distinct strings"`,
    );
    expect(
      inputError(() => featureEncoderFromJSON({ ...encoder, features: ["dose"] })),
    ).toMatchInlineSnapshot(
      `"feature encoder JSON: features ["dose"] do not match the inputs' ["dose","tissue=brain","tissue=heart","tissue=liver"]"`,
    );
  });
});
