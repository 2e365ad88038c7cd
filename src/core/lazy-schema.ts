/**
 * A zod schema built when it is first used, not when its module loads: `export const s =
 * lazySchema(() => z.object(…))` reads like the schema itself (same name, same type, every
 * method), but a process that never validates with it never builds it — nor loads zod, whose
 * set-up is a large part of a command's start-up (the CLI's bundles require zod on first use,
 * scripts/bundle-cli.mjs; bench/startup/RESULTS.md). A grouped fit built by `biograd fit`
 * then starts without zod; every file read back, and every request from elsewhere, is still
 * checked by the same schema.
 *
 * The value is a Proxy over the schema: properties and methods are the built schema's, read
 * with the schema itself as `this` (zod's methods and getters then see the real instance, so
 * its registry and caches key on that one object).
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => {
    built ??= build();
    return built;
  };
  const bound = new Map<PropertyKey, { from: unknown; to: unknown }>();
  return new Proxy({} as T, {
    get(_, key) {
      const real = schema();
      const value: unknown = Reflect.get(real, key, real);
      if (typeof value !== "function") return value;
      // The same bound function each time (`s.parse === s.parse`), rebound if it changed.
      const seen = bound.get(key);
      if (seen?.from === value) return seen.to;
      const to = (value as (...args: unknown[]) => unknown).bind(real);
      bound.set(key, { from: value, to });
      return to;
    },
    has: (_, key) => key in schema(),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor(_, key) {
      const d = Reflect.getOwnPropertyDescriptor(schema(), key);
      // A proxy may not report a property of its (empty) target as non-configurable.
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    defineProperty: (_, key, d) => Reflect.defineProperty(schema(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
  });
}
