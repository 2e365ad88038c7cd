/**
 * `a.map(f)` as pushes, for arrays that hot code reads. Array#map makes its result with one
 * elements kind in the builtin and another once TurboFan has inlined it into an optimised
 * caller, so the code reading such an array, compiled for the first kind, deopts ("wrong map")
 * and is compiled again when the caller is optimised: in a grouped fit of 100,000 curves the
 * reader's per-range setup (GroupPass, NaMatch) was optimised about 56,000 groups in and
 * `row`, `knownRows` and the chunk loop were thrown away. Pushes keep one kind at every tier.
 */
export function packedMap<T, U>(a: readonly T[], f: (t: T) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < a.length; i++) out.push(f(a[i]!));
  return out;
}
