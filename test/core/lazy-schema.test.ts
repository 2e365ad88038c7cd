import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lazySchema } from "../../src/core/lazy-schema.js";

// A lazily built schema must be indistinguishable from the schema it builds, for every use
// the code makes of one: parse results, messages, use inside other schemas, extend/omit.
const eager = () =>
  z.object({ name: z.string().min(1).max(5), n: z.number().int().optional() }).strict();

describe("lazySchema", () => {
  it("builds the schema on first use, once", () => {
    let built = 0;
    const schema = lazySchema(() => {
      built++;
      return eager();
    });
    expect(built).toBe(0);
    expect(schema.parse({ name: "a" })).toEqual({ name: "a" });
    expect(schema.safeParse({ name: "b", n: 2 }).success).toBe(true);
    expect(built).toBe(1);
    expect(schema.parse).toBe(schema.parse);
  });

  it("parses and fails as the schema itself does", () => {
    const lazy = lazySchema(eager);
    const real = eager();
    for (const value of [
      { name: "abc" },
      { name: "" },
      { name: "toolong" },
      { name: "a", x: 1 },
      3,
    ]) {
      const a = lazy.safeParse(value);
      const b = real.safeParse(value);
      expect(a.success).toBe(b.success);
      expect(a.success ? a.data : a.error.issues).toEqual(b.success ? b.data : b.error.issues);
    }
    expect(() => lazy.parse({ name: "" })).toThrow(z.ZodError);
  });

  it("works inside other schemas and as the base of extend/omit", () => {
    const inner = lazySchema(eager);
    const outer = z.object({ items: z.array(inner), one: z.union([inner, z.null()]) });
    expect(outer.parse({ items: [{ name: "a" }], one: null })).toEqual({
      items: [{ name: "a" }],
      one: null,
    });
    const bad = outer.safeParse({ items: [{ name: "a" }, { name: 1 }], one: null });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["items", 1, "name"]);
    const extended = inner.omit({ n: true }).extend({ k: z.boolean() });
    expect(extended.parse({ name: "a", k: true })).toEqual({ name: "a", k: true });
    expect(Object.keys(inner.shape)).toEqual(["name", "n"]);
    expect(inner instanceof z.ZodObject).toBe(true);
  });
});
