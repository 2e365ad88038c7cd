/**
 * Malformed model files: each problem is one InputError naming the file, line:column and
 * YAML path, and what was expected.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { compileOdeModel, loadOdeModel, parseOdeModel } from "../../../src/ode/model/index.js";

const SIR = `states: [S, I, R]
parameters: {beta: {start: 2, lower: 0}, gamma: {start: 0.5, lower: 0}}
constants: {N: 763}
equations: {S: -beta*S*I/N, I: beta*S*I/N - gamma*I, R: gamma*I}
initial: {S: N - 1, I: 1, R: 0}
observables: {I: I}
`;

function error(text: string, source = "sir.yaml"): string {
  try {
    parseOdeModel(text, source);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected an error");
}

describe("malformed model files: one line with file:line:column and the YAML path", () => {
  it("the valid SIR model compiles", () => {
    expect(parseOdeModel(SIR, "sir.yaml").states).toEqual(["S", "I", "R"]);
  });

  it.each([
    [
      "an unknown state in an equation",
      SIR.replace("-beta*S*I/N", "-beta*S*Ix/N"),
      'sir.yaml:4:24: equations.S: unknown name "Ix"; states are S, I, R; parameters are beta, gamma; constants are N (did you mean "I"?)',
    ],
    [
      "a state without an equation",
      SIR.replace(", R: gamma*I}", "}"),
      'sir.yaml:4:12: equations: state "R" has no equation',
    ],
    [
      "an equation for an unknown state",
      SIR.replace("R: gamma*I}", "R: gamma*I, Q: 1}"),
      'sir.yaml:4:66: equations.Q: "Q" is not a state; states are S, I, R',
    ],
    [
      "a state without an initial value",
      SIR.replace("I: 1, ", ""),
      'sir.yaml:5:10: initial: state "I" has no initial value',
    ],
    [
      "a non-allow-listed function",
      SIR.replace("R: gamma*I}", "R: gammaln(I)}"),
      'sir.yaml:4:57: equations.R: unknown function "gammaln" (functions: exp, log, log10, log2, sqrt, abs, pow, min, max, sin, cos, tan, atan, tanh, sinh, cosh)',
    ],
    [
      "an initial value that depends on a state",
      SIR.replace("S: N - 1", "S: N - I"),
      'sir.yaml:5:18: initial.S: an initial value cannot depend on state "I" (only on parameters and constants)',
    ],
    [
      "an initial value that depends on time",
      SIR.replace("R: 0}", "R: t}"),
      'sir.yaml:5:30: initial.R: an initial value cannot depend on time "t"',
    ],
    [
      "bad YAML syntax",
      SIR.replace("S: N - 1", "S: N - 1,"),
      "sir.yaml:5:20: invalid YAML: Unexpected , in flow map",
    ],
    [
      "an empty file",
      "# nothing\n",
      "sir.yaml: the model file is empty (expected states, equations and initial)",
    ],
    ["a scalar", "hello", "sir.yaml:1:1: expected object, received string"],
    [
      "two documents",
      "states: [x]\n---\nstates: [y]\n",
      "sir.yaml:2:1: invalid YAML: a model file holds one document (remove the second ---)",
    ],
    [
      "a duplicate key",
      "states: [S]\nstates: [S]\n",
      "sir.yaml:2:1: invalid YAML: Map keys must be unique",
    ],
    [
      "a wrong type",
      SIR.replace("[S, I, R]", "S"),
      "sir.yaml:1:9: states: expected array, received string",
    ],
    [
      "a number that is text",
      SIR.replace("start: 2", "start: two"),
      "sir.yaml:2:28: parameters.beta.start: expected a number",
    ],
    [
      "an unknown key, placed at the key",
      SIR.replace("lower: 0}, gamma", "lowr: 0}, gamma"),
      'sir.yaml:2:31: parameters.beta.lowr: unknown key "lowr"',
    ],
    ["an unknown section", `${SIR}nois: {I: 1}\n`, 'sir.yaml:7:1: nois: unknown key "nois"'],
    [
      "noise naming nothing declared",
      `${SIR}noise: {I: sd}\n`,
      'sir.yaml:7:12: noise.I: "sd" is neither a parameter nor a constant (σ is a number > 0 or one of their names)',
    ],
    [
      "noise for an unknown observable",
      `${SIR}noise: {J: 1}\n`,
      'sir.yaml:7:9: noise.J: "J" is not an observable; observables are I',
    ],
    [
      "a dose into an unknown state",
      `${SIR}events:\n  - {at: 1, state: Q, add: 3}\n`,
      'sir.yaml:8:20: events[0].state: "Q" is not a state; states are S, I, R',
    ],
    [
      "a dose amount that depends on a state",
      `${SIR}events:\n  - {at: 1, state: I, add: 3*S}\n`,
      'sir.yaml:8:30: events[0].add: a dose cannot depend on state "S" (only on parameters and constants)',
    ],
    [
      "a dose before t0",
      `${SIR}t0: 5\nevents:\n  - {at: 1, state: I, add: 3}\n`,
      "sir.yaml:9:10: events[0].at: the dose time 1 is before t0 = 5",
    ],
    [
      "a dose time that depends on a parameter",
      `${SIR}events:\n  - {at: 2*gamma, state: I, add: 3}\n`,
      'sir.yaml:8:12: events[0].at: a dose time cannot depend on "gamma" (only on constants)',
    ],
    [
      "a formula syntax error",
      SIR.replace("-beta*", "-beta**"),
      "sir.yaml:4:22: equations.S: value expected (use ^ for powers)",
    ],
    [
      "an unknown name in a quoted formula",
      SIR.replace("-beta*S*I/N", '"-beta*S*I/Nx"'),
      'sir.yaml:4:27: equations.S: unknown name "Nx"; states are S, I, R; parameters are beta, gamma; constants are N (did you mean "N"?)',
    ],
    [
      "a name declared twice",
      SIR.replace("{N: 763}", "{N: 763, beta: 1}"),
      'sir.yaml:3:21: constants.beta: "beta" is declared both as a parameter and as a constant',
    ],
    [
      "a state named t",
      SIR.replace("[S, I, R]", "[S, I, R, t]"),
      'sir.yaml:1:19: states[3]: "t" is reserved for time; rename the state',
    ],
    [
      "a start outside its bounds",
      SIR.replace("start: 2, lower: 0", "start: -2, lower: 0"),
      "sir.yaml:2:28: parameters.beta.start: start -2 is outside the bounds [0, Infinity]",
    ],
    [
      "a condition constant that is not a constant",
      `${SIR}conditions: {column: school, constants: {a: {M: 3}}}\n`,
      'sir.yaml:7:46: conditions.constants.a.M: "M" is not a constant; constants are N',
    ],
  ])("%s", (_what, text, expected) => {
    expect(error(text)).toBe(expected);
  });

  it("JSON files get positions too (inside quoted formulas)", () => {
    const json =
      '{"states": ["x"], "parameters": {"k": {"start": 1}},\n "equations": {"x": "-k*y"}, "initial": {"x": 1}}';
    expect(error(json, "m.json")).toBe(
      'm.json:2:25: equations.x: unknown name "y"; states are x; parameters are k',
    );
  });

  it("a document given as an object: the file name and the path", () => {
    expect(() =>
      compileOdeModel({ states: ["x"], equations: { x: "-k*x" }, initial: { x: 1 } }, "obj.json"),
    ).toThrow('obj.json: equations.x: unknown name "k"; states are x');
  });

  it("an observable naming no data column, placed at the observable", () => {
    const m = parseOdeModel(`${SIR}conditions: {column: school, constants: {}}\n`, "sir.yaml");
    expect(() => m.checkObservablesAgainst(["t", "I"])).toThrow(
      'sir.yaml:7:22: conditions.column: "school" is not a column of the data; columns are t, I',
    );
    expect(() => m.checkObservablesAgainst(["t", "cases", "school"])).toThrow(
      'sir.yaml:6:15: observables.I: "I" is not a column of the data; columns are t, cases, school',
    );
    expect(() => m.checkObservablesAgainst(["t", "I", "school"])).not.toThrow();
  });

  it("files: missing, wrong extension, overrides naming nothing", () => {
    expect(() => loadOdeModel("examples/ode/none.yaml")).toThrow(
      "examples/ode/none.yaml: no such file",
    );
    expect(() => loadOdeModel("examples/growth.csv")).toThrow(
      "examples/growth.csv: expected a model file ending in .yaml, .yml or .json",
    );
    expect(() => loadOdeModel("examples/ode/sir.yaml", { start: { betta: 1 } })).toThrow(
      '--start: "betta" is not a parameter of the model (parameters: beta, gamma)',
    );
    expect(() => loadOdeModel("examples/ode/sir.yaml", { const: { M: 1 } })).toThrow(
      '--const: "M" is not a constant of the model (constants: N)',
    );
    expect(() =>
      loadOdeModel("examples/ode/sir.yaml", { bounds: { beta: { lower: 3, upper: 4 } } }),
    ).toThrow("--bounds beta: start 2 is outside the bounds [3, 4]");
  });
});
