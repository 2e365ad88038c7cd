/**
 * Counting sort of a grouped read's rows by group (when a group came back after another one
 * started): each group's rows stay in file order.
 */
export function byGroup(
  keys: string[][],
  groupOf: Int32Array,
  values: Float64Array[],
): { keys: string[][]; offsets: Int32Array; columns: Float64Array[] } {
  const offsets = new Int32Array(keys.length + 1);
  for (let i = 0; i < groupOf.length; i++) offsets[groupOf[i]! + 1]!++;
  for (let g = 0; g < keys.length; g++) offsets[g + 1]! += offsets[g]!;
  const slot = Int32Array.from(offsets.subarray(0, keys.length));
  const order = new Int32Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) order[slot[groupOf[i]!]!++] = i;
  // A plain loop: Float64Array.from(order, f) goes through an iterator and a list of boxed
  // numbers, tens of MB of garbage for a few million rows.
  const columns = values.map((v) => {
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) out[k] = v[order[k]!]!;
    return out;
  });
  return { keys, offsets, columns };
}
