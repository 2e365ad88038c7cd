/**
 * Checks a model document: its shape (the zod schema) and how its parts refer to each other
 * (names declared once, one equation and one initial value per state, noise and events that
 * name what exists). Each problem is one InputError: `file:line:col: yaml.path: what`.
 */
import { InputError } from "../../core/errors.js";
import { jsonPathText } from "../../core/schema.js";
import { NAME } from "../../formula/names.js";
import { reservedReason } from "../../formula/spec.js";
import { type OdeModelDoc, odeModelSchema } from "./schema.js";
import type { Path, SourceMap } from "./source-map.js";

export type Fail = (path: Path, message: string, atKey?: boolean) => never;

export function failer(map: SourceMap): Fail {
  return (path, message, atKey = false) => {
    const where = atKey ? map.whereKey(path) : map.where(path);
    const at = jsonPathText(path);
    throw new InputError(`${where}: ${at === "" ? "" : `${at}: `}${message}`);
  };
}

export function validateModel(doc: unknown, fail: Fail): OdeModelDoc {
  if (doc === null || doc === undefined)
    fail([], "the model file is empty (expected states, equations and initial)");
  const parsed = odeModelSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p) => typeof p !== "symbol") as (string | number)[];
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0]!;
      fail([...path, key], `unknown key "${key}"`, true);
    }
    fail(path, issue.message.replace(/^Invalid input: /, ""));
  }
  const m = parsed.data as OdeModelDoc;
  checkNames(m, fail);
  const states = new Set(m.states);
  const list = m.states.join(", ");
  for (const part of ["equations", "initial"] as const) {
    for (const key of Object.keys(m[part])) {
      if (!states.has(key)) fail([part, key], `"${key}" is not a state; states are ${list}`, true);
    }
    const what = part === "equations" ? "equation" : "initial value";
    for (const s of m.states) {
      if (!Object.hasOwn(m[part], s)) fail([part], `state "${s}" has no ${what}`);
    }
  }
  const observables = Object.keys(m.observables);
  for (const [name, sigma] of Object.entries(m.noise)) {
    if (!Object.hasOwn(m.observables, name)) {
      fail(
        ["noise", name],
        `"${name}" is not an observable; observables are ${observables.join(", ") || "none"}`,
        true,
      );
    }
    if (
      typeof sigma === "string" &&
      !Object.hasOwn(m.parameters, sigma) &&
      !Object.hasOwn(m.constants, sigma)
    ) {
      fail(
        ["noise", name],
        `"${sigma}" is neither a parameter nor a constant (σ is a number > 0 or one of their names)`,
      );
    }
  }
  m.events.forEach((e, k) => {
    if (!states.has(e.state))
      fail(["events", k, "state"], `"${e.state}" is not a state; states are ${list}`);
    if (typeof e.at === "number" && !(e.at >= m.t0))
      fail(["events", k, "at"], `the dose time ${e.at} is before t0 = ${m.t0}`);
  });
  for (const [condition, constants] of Object.entries(m.conditions?.constants ?? {})) {
    for (const name of Object.keys(constants)) {
      if (!Object.hasOwn(m.constants, name)) {
        const declared = Object.keys(m.constants).join(", ") || "none";
        fail(
          ["conditions", "constants", condition, name],
          `"${name}" is not a constant; constants are ${declared}`,
          true,
        );
      }
    }
  }
  for (const [name, p] of Object.entries(m.parameters)) {
    const lower = p.lower ?? Number.NEGATIVE_INFINITY;
    const upper = p.upper ?? Number.POSITIVE_INFINITY;
    if (!(lower < upper))
      fail(["parameters", name], `lower bound ${lower} must be below upper bound ${upper}`);
    if (!(p.start >= lower && p.start <= upper)) {
      fail(
        ["parameters", name, "start"],
        `start ${p.start} is outside the bounds [${lower}, ${upper}]`,
      );
    }
  }
  return m;
}

/** States, parameters and constants: valid names, not reserved, not `t`, each declared once. */
function checkNames(m: OdeModelDoc, fail: Fail): void {
  const seen = new Map<string, string>();
  const declare = (name: string, role: string, path: Path, atKey: boolean): void => {
    if (!NAME.test(name))
      fail(
        path,
        `${role} name "${name}" is not a valid name (letters, digits and _, not starting with a digit)`,
        atKey,
      );
    const reserved = name === "t" ? { problem: `"t" is reserved for time` } : reservedReason(name);
    if (reserved !== null) fail(path, `${reserved.problem}; rename the ${role}`, atKey);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      fail(
        path,
        earlier === role
          ? `${role} "${name}" is declared twice`
          : `"${name}" is declared both as a ${earlier} and as a ${role}`,
        atKey,
      );
    }
    seen.set(name, role);
  };
  m.states.forEach((s, k) => {
    declare(s, "state", ["states", k], false);
  });
  for (const p of Object.keys(m.parameters)) declare(p, "parameter", ["parameters", p], true);
  for (const c of Object.keys(m.constants)) declare(c, "constant", ["constants", c], true);
}
