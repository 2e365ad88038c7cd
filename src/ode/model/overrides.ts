/**
 * Command-line overrides of a model file: `--start`, `--fix` and `--bounds` change
 * parameters, `--const` changes constants. A name the model does not declare, or a start
 * outside its bounds, is one InputError naming the flag.
 */
import { InputError } from "../../core/errors.js";
import type { OdeModelOverrides, OdeParameter } from "./model.js";
import type { OdeModelDoc } from "./schema.js";

function checkNames(flag: string, given: object | undefined, declared: object, role: string): void {
  for (const name of Object.keys(given ?? {})) {
    if (!Object.hasOwn(declared, name)) {
      const list = Object.keys(declared).join(", ") || "none";
      throw new InputError(`${flag}: "${name}" is not a ${role} of the model (${role}s: ${list})`);
    }
  }
}

export function resolveParameters(m: OdeModelDoc, o: OdeModelOverrides): OdeParameter[] {
  checkNames("--start", o.start, m.parameters, "parameter");
  checkNames("--fix", o.fix, m.parameters, "parameter");
  checkNames("--bounds", o.bounds, m.parameters, "parameter");
  return Object.entries(m.parameters).map(([name, p]) => {
    const fixedAt = o.fix?.[name];
    const start = fixedAt ?? o.start?.[name] ?? p.start;
    const bounds = o.bounds?.[name];
    const lower = bounds?.lower ?? p.lower ?? Number.NEGATIVE_INFINITY;
    const upper = bounds?.upper ?? p.upper ?? Number.POSITIVE_INFINITY;
    const fixed = fixedAt !== undefined || p.fixed === true;
    if (!Number.isFinite(start))
      throw new InputError(`--start ${name}: expected a finite number, got ${start}`);
    if (!(lower < upper)) {
      throw new InputError(
        `--bounds ${name}: lower bound ${lower} must be below upper bound ${upper}`,
      );
    }
    if (!fixed && !(start >= lower && start <= upper)) {
      const flag = o.start?.[name] !== undefined ? "--start" : "--bounds";
      throw new InputError(
        `${flag} ${name}: start ${start} is outside the bounds [${lower}, ${upper}]`,
      );
    }
    return { name, start, lower, upper, fixed };
  });
}

export function resolveConstants(m: OdeModelDoc, o: OdeModelOverrides): Record<string, number> {
  checkNames("--const", o.const, m.constants, "constant");
  const out: Record<string, number> = { ...m.constants };
  for (const [name, v] of Object.entries(o.const ?? {})) {
    if (!Number.isFinite(v))
      throw new InputError(`--const ${name}: expected a finite number, got ${v}`);
    out[name] = v;
  }
  return out;
}
