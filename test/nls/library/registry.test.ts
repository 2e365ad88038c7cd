import { describe, expect, test } from "vitest";
import { compileFormula } from "../../../src/formula/index.js";
import { findModel, MODELS, modelNames } from "../../../src/nls/library/index.js";

/** The model names issue 3 asks for. */
const ISSUE_NAMES = [
  "michaelis-menten",
  "hill",
  "hill4",
  "4pl",
  "5pl",
  "logistic",
  "gompertz",
  "richards",
  "exp-decay",
  "exp-rise",
  "biexp",
  "pk1-oral",
  "inhibition-competitive",
  "inhibition-uncompetitive",
];

describe("registry", () => {
  test("has every model of the issue, by name", () => {
    for (const name of ISSUE_NAMES) expect(findModel(name)?.name, name).toBe(name);
  });

  test("finds models by alias, ignoring case, surrounding space and _ for -", () => {
    expect(findModel("mm")?.name).toBe("michaelis-menten");
    expect(findModel("MM")?.name).toBe("michaelis-menten");
    expect(findModel(" Hill4 ")?.name).toBe("hill4");
    expect(findModel("four_parameter_logistic")?.name).toBe("4pl");
    expect(findModel("SSlogis")?.name).toBe("logistic");
    expect(findModel("ssfol")?.name).toBe("pk1-oral");
    expect(findModel("competitive")?.name).toBe("inhibition-competitive");
    expect(findModel("one-phase-decay")?.name).toBe("exp-plateau");
    expect(findModel("monomolecular")?.name).toBe("exp-rise");
  });

  test("unknown names give undefined", () => {
    expect(findModel("michaelis")).toBeUndefined();
    expect(findModel("")).toBeUndefined();
    expect(findModel("constructor")).toBeUndefined();
  });

  test("names and aliases are unique, lower case, without spaces; modelNames lists them sorted", () => {
    const all = MODELS.flatMap((m) => [m.name, ...(m.aliases ?? [])]);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(modelNames()).toEqual([...all].sort());
  });
});

describe.each(MODELS.map((m) => [m.name, m] as const))("%s", (_, model) => {
  test("describes every parameter, constant and the self-start, with a reference", () => {
    expect(model.title.length).toBeGreaterThan(0);
    expect(model.variables.length).toBeGreaterThan(0);
    expect(Object.keys(model.meaning).sort()).toEqual([...model.params].sort());
    for (const p of model.params) expect(model.meaning[p]!.length, p).toBeGreaterThan(10);
    for (const p of model.positive ?? []) expect(model.params).toContain(p);
    for (const [c, meaning] of Object.entries(model.constants ?? {})) {
      expect(model.formula).toContain(c);
      expect(meaning.length).toBeGreaterThan(10);
    }
    // Author(s), a year in parentheses, a title: "Hill AV (1910). The possible effects …".
    expect(model.reference).toMatch(/[A-Z][\p{L}' -]+ [A-Z]{1,3}\b.*\((1[89]|20)\d\d\)\. \S/u);
    expect(model.selfStartRule.length).toBeGreaterThan(40);
  });

  test("the formula uses exactly its parameters, variables and constants", () => {
    const constants = Object.fromEntries(Object.keys(model.constants ?? {}).map((c) => [c, 1]));
    const compiled = compileFormula(model.formula, {
      params: model.params,
      variables: model.variables,
      constants,
    });
    expect(compiled.params).toEqual(model.params);
    for (const p of model.params) expect(compiled.derivatives[p], p).not.toBe("0");
    for (const v of model.variables) expect(model.formula).toMatch(new RegExp(`\\b${v}\\b`));
    if (Object.keys(constants).length > 0) {
      expect(() =>
        compileFormula(model.formula, { params: model.params, variables: model.variables }),
      ).toThrow();
    }
  });

  test("models are frozen", () => {
    expect(Object.isFrozen(model)).toBe(true);
  });
});
