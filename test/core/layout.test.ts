import { describe, expect, it } from "vitest";
import { createLayout, describeIndex, toNamed, view } from "../../src/core/layout.js";

describe("layout", () => {
  const layout = createLayout([
    { name: "W", shape: [2, 3] },
    { name: "b", shape: [] },
    { name: "v", shape: [2] },
  ]);

  it("assigns offsets in the given order", () => {
    expect(layout.size).toBe(9);
    expect(layout.entries.map((e) => [e.name, e.offset, e.size])).toEqual([
      ["W", 0, 6],
      ["b", 6, 1],
      ["v", 7, 2],
    ]);
  });

  it("names a flat index with its coordinates", () => {
    expect(describeIndex(layout, 4)).toBe("W[1,1]");
    expect(describeIndex(layout, 6)).toBe("b");
    expect(describeIndex(layout, 8)).toBe("v[1]");
  });

  it("views share memory and named values follow the layout", () => {
    const params = Float64Array.from({ length: 9 }, (_, i) => i);
    view(layout, params, "v")[0] = 70;
    expect(params[7]).toBe(70);
    expect(toNamed(layout, params)).toEqual({ W: [0, 1, 2, 3, 4, 5], b: 6, v: [70, 8] });
  });

  it("rejects duplicate names, bad shapes and unknown names", () => {
    expect(() =>
      createLayout([
        { name: "a", shape: [] },
        { name: "a", shape: [2] },
      ]),
    ).toThrow('layout: duplicate name "a"');
    expect(() => createLayout([{ name: "a", shape: [1.5] }])).toThrow(
      "dimensions must be integers >= 0",
    );
    expect(() => view(layout, new Float64Array(9), "c")).toThrow(
      'layout: no parameter "c" (parameters: W, b, v)',
    );
  });
});
