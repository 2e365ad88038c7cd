import { BiogradError } from "./errors.js";

/** One named tensor inside the flat parameter vector. `shape: []` is a scalar. */
export interface Entry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/**
 * Names the pieces of a flat `Float64Array` of parameters. Order is the explicit order
 * of `entries` (never object-key order); gradients and optimizer state share it.
 */
export interface Layout {
  readonly entries: readonly Entry[];
  readonly size: number;
}

export function createLayout(specs: readonly { name: string; shape: readonly number[] }[]): Layout {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const { name, shape } of specs) {
    if (seen.has(name))
      throw new BiogradError("shape_mismatch", `layout: duplicate name "${name}"`);
    seen.add(name);
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new BiogradError(
          "shape_mismatch",
          `layout: "${name}" has shape [${shape.join(", ")}]; dimensions must be integers >= 0`,
        );
      }
    }
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape: [...shape], offset, size });
    offset += size;
  }
  return { entries, size: offset };
}

export function findEntry(layout: Layout, name: string): Entry {
  const entry = layout.entries.find((e) => e.name === name);
  if (!entry) {
    const names = layout.entries.map((e) => e.name).join(", ");
    throw new BiogradError(
      "shape_mismatch",
      `layout: no parameter "${name}" (parameters: ${names})`,
    );
  }
  return entry;
}

/** A view of one entry's values inside a flat buffer (no copy). */
export function view(layout: Layout, buffer: Float64Array, name: string): Float64Array {
  const e = findEntry(layout, name);
  return buffer.subarray(e.offset, e.offset + e.size);
}

/** Which entry and element a flat index belongs to, e.g. `w[2]` or `b`; for messages. */
export function describeIndex(layout: Layout, index: number): string {
  for (const e of layout.entries) {
    if (index >= e.offset && index < e.offset + e.size) {
      if (e.shape.length === 0) return e.name;
      const coords: number[] = [];
      let rest = index - e.offset;
      for (let d = e.shape.length - 1; d >= 0; d--) {
        const dim = e.shape[d]!;
        coords.unshift(rest % dim);
        rest = Math.floor(rest / dim);
      }
      return `${e.name}[${coords.join(",")}]`;
    }
  }
  return `#${index}`;
}

/**
 * Parameters by name for printing and serialising: scalars as numbers, tensors as flat
 * arrays (row-major, with the entry's shape beside them in the layout).
 */
export function toNamed(layout: Layout, params: Float64Array): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const e of layout.entries) {
    if (e.shape.length === 0) {
      out[e.name] = params[e.offset]!;
      continue;
    }
    // A loop, not Array.from(subarray): that costs ~0.5 µs, per train() call.
    const values: number[] = [];
    for (let i = e.offset; i < e.offset + e.size; i++) values.push(params[i]!);
    out[e.name] = values;
  }
  return out;
}
