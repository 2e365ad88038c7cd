import { BiogradError } from "../core/errors.js";

/**
 * Transform state to JSON and back, exactly. A state (what `init` made, as `update` left it) is
 * a tree of plain objects, arrays, numbers, strings, booleans, null and typed arrays: chains
 * are arrays, `freeze` and the clips are objects, buffers are typed arrays. `saveState` turns
 * it into a value `JSON.stringify` keeps bit for bit; `restoreState` builds the state again.
 *
 * Encoding (the reserved key "$type" marks the two tagged forms):
 * - a finite number other than −0 is itself; NaN, ±Infinity and −0, which JSON cannot hold,
 *   are `{ "$type": "number", "value": "NaN" | "Infinity" | "-Infinity" | "-0" }`;
 * - `undefined` (an object field or array slot) is `{ "$type": "undefined" }`;
 * - a typed array is `{ "$type": "Float64Array", "data": [...] }` (any of the numeric typed
 *   arrays), with the same four strings for the non-finite values and −0 in `data`;
 * - arrays and plain objects are copied entry by entry.
 * Doubles survive because JSON numbers are printed as the shortest string that reads back to
 * the same double. Not supported, with an error naming the path: bigints, functions, symbols,
 * Maps, Sets, class instances, cycles, and object keys "$type" and "__proto__". Two references
 * to one object (or typed-array views of one buffer) come back as independent copies.
 */

/** What `saveState` returns: plain JSON. */
export type SavedState =
  | null
  | boolean
  | number
  | string
  | SavedState[]
  | { [key: string]: SavedState };

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;

const isTypedName = (v: unknown): v is TypedName =>
  typeof v === "string" && Object.hasOwn(TYPED, v);

function typedName(value: object): TypedName | null {
  for (const name of Object.keys(TYPED) as TypedName[]) {
    if (value instanceof TYPED[name]) return name;
  }
  return null;
}

const SPECIAL = ["NaN", "Infinity", "-Infinity", "-0"] as const;

function encodeNumber(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

function decodeNumber(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  switch (v) {
    case "NaN":
      return Number.NaN;
    case "Infinity":
      return Number.POSITIVE_INFINITY;
    case "-Infinity":
      return Number.NEGATIVE_INFINITY;
    case "-0":
      return -0;
    default:
      throw bad(
        "restoreState",
        path,
        `a number or one of ${SPECIAL.map((s) => `"${s}"`).join(", ")}`,
        v,
      );
  }
}

function bad(owner: string, path: string, expected: string, got: unknown): BiogradError {
  return new BiogradError(
    "bad_input",
    `${owner}: ${path} must be ${expected}, got ${describe(got)}`,
  );
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") {
    const t = typedName(v);
    if (t) return `${t}(${(v as TypedArray).length})`;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      return `a ${proto?.constructor?.name ?? "class instance"}`;
    return "an object";
  }
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === "number" || typeof v === "boolean" ? String(v) : `a ${typeof v}`;
}

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const key = (path: string, k: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;

/** A transform state as plain JSON that restores bit for bit (see the encoding above). */
export function saveState(state: unknown): SavedState {
  const ancestors = new Set<object>();
  const encode = (v: unknown, path: string): SavedState => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (v === undefined) return { $type: "undefined" };
    if (typeof v === "number") {
      const e = encodeNumber(v);
      return typeof e === "number" ? e : { $type: "number", value: e };
    }
    const supported =
      "plain objects, arrays, numbers, strings, booleans, null, undefined and typed arrays";
    if (typeof v !== "object") throw bad("saveState", path, supported, v);
    if (ancestors.has(v)) throw bad("saveState", path, `${supported} without cycles`, "a cycle");
    const t = typedName(v);
    if (t) return { $type: t, data: Array.from(v as TypedArray, encodeNumber) };
    if (!Array.isArray(v) && !isPlainObject(v)) throw bad("saveState", path, supported, v);
    ancestors.add(v);
    let out: SavedState;
    if (Array.isArray(v)) {
      out = v.map((item, i) => encode(item, `${path}[${i}]`));
    } else {
      const obj: { [key: string]: SavedState } = {};
      for (const [k, item] of Object.entries(v)) {
        if (k === "$type" || k === "__proto__") {
          throw bad("saveState", key(path, k), "absent (the key is reserved)", item);
        }
        obj[k] = encode(item, key(path, k));
      }
      out = obj;
    }
    ancestors.delete(v);
    return out;
  };
  return encode(state, "state");
}

/**
 * Builds a state from `saveState`'s output (or that output after `JSON.stringify` and
 * `JSON.parse`). With `like` (a fresh `transform.init(layout)`), the saved tree must have the
 * same shape — the same keys, array lengths, typed-array kinds and lengths, and value types —
 * or a `shape_mismatch` error names the first difference, so a checkpoint from another chain
 * or layout is refused instead of silently misread.
 */
export function restoreState<S>(saved: unknown, like?: S): S {
  const decode = (v: unknown, path: string): unknown => {
    if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") {
      return v;
    }
    if (typeof v !== "object") throw bad("restoreState", path, "JSON", v);
    if (Array.isArray(v)) return v.map((item, i) => decode(item, `${path}[${i}]`));
    const rec = v as Record<string, unknown>;
    if (Object.hasOwn(rec, "$type")) {
      const type = rec.$type;
      if (type === "undefined") return undefined;
      if (type === "number") return decodeNumber(rec.value, `${path}.value`);
      if (!isTypedName(type)) {
        throw bad(
          "restoreState",
          `${path}.$type`,
          `"number", "undefined" or a typed array name`,
          type,
        );
      }
      const data = rec.data;
      if (!Array.isArray(data)) throw bad("restoreState", `${path}.data`, "an array", data);
      const out = new TYPED[type](data.length);
      for (let i = 0; i < data.length; i++) out[i] = decodeNumber(data[i], `${path}.data[${i}]`);
      return out;
    }
    const obj: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(rec)) {
      if (k === "__proto__") throw bad("restoreState", key(path, k), "absent", item);
      obj[k] = decode(item, key(path, k));
    }
    return obj;
  };
  const state = decode(saved, "state");
  if (like !== undefined) checkShape(state, like, "state");
  return state as S;
}

function shapeOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") {
    const t = typedName(v);
    return t ? `${t}(${(v as TypedArray).length})` : "an object";
  }
  return `a ${typeof v}`;
}

function checkShape(got: unknown, like: unknown, path: string): void {
  const mismatch = (): never => {
    throw new BiogradError(
      "shape_mismatch",
      `restoreState: ${path} is ${shapeOf(got)} in the checkpoint but ${shapeOf(like)} in the fresh state ` +
        "(was the checkpoint made with the same transform and layout?)",
    );
  };
  if (shapeOf(got) !== shapeOf(like)) mismatch();
  if (got === null || typeof got !== "object" || typedName(got)) return;
  if (Array.isArray(got)) {
    for (let i = 0; i < got.length; i++)
      checkShape(got[i], (like as unknown[])[i], `${path}[${i}]`);
    return;
  }
  const g = got as Record<string, unknown>;
  const l = like as Record<string, unknown>;
  const keys = new Set([...Object.keys(g), ...Object.keys(l)]);
  for (const k of keys) {
    if (!Object.hasOwn(g, k) || !Object.hasOwn(l, k)) {
      throw new BiogradError(
        "shape_mismatch",
        `restoreState: ${key(path, k)} is ${Object.hasOwn(g, k) ? "in the checkpoint but not in the fresh state" : "missing from the checkpoint"} ` +
          "(was the checkpoint made with the same transform and layout?)",
      );
    }
    checkShape(g[k], l[k], key(path, k));
  }
}
