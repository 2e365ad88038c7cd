import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { mkfifo, scratch, snapshot } from "../io/snapshot.js";
import { parseXml } from "../report/xml.js";

/** How many groups Vega drew for the mark named `name` (a line mark: one per series). */
const groupsOf = (svg: string, name: string) => svg.split(`role-mark ${name}_marks"`).length - 1;

describe("biograd demo (npm run demo): the whole story", () => {
  it("prints the seed's comparison, then the growth fit, and writes both pictures", async () => {
    const dir = scratch();
    // An existing picture is replaced whole, through a symlink to it (the link stays a link).
    writeFileSync(join(dir, "old.svg"), "old");
    symlinkSync("old.svg", join(dir, "demo-seed.svg"));
    const { code, out, err } = await cli("demo", "--plot-dir", dir);
    expect(err.filter((l) => l !== "")).toEqual([]);
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/^1\. The seed's example/);
    expect(text).toContain("steps clipped   1000/1000");
    expect(text).toContain("2. Where clipping is needed: yeast growth");
    expect(text).toMatch(/final b \(per hour\)\s+0\.4201048\s+-11865\.36/);
    expect(text).toContain("Plain gradient descent diverges");
    expect(out.at(-1)).toBe(`wrote demo-seed.svg and demo-clipping.svg in ${dir}`);

    const files = snapshot(dir);
    expect(Object.keys(files)).toEqual(["demo-clipping.svg", "demo-seed.svg", "old.svg"]);
    expect(files["demo-seed.svg"]).toBe("link -> old.svg");
    const seed = readFileSync(join(dir, "old.svg"), "utf8");
    const clipping = readFileSync(join(dir, "demo-clipping.svg"), "utf8");
    for (const svg of [seed, clipping]) expect(parseXml(svg).elements[0]!.tag).toBe("svg");
    // The seed picture: one panel per run (clipped, plain), a line in each.
    expect(groupsOf(seed, "mse")).toBe(2);
    // The growth picture: both runs' losses and fitted curves, and the eight hours of data.
    expect(groupsOf(clipping, "loss")).toBe(2);
    expect(groupsOf(clipping, "curves")).toBe(2);
    const points = clipping.split('role-mark points_marks"')[1]!.split("</g>")[0]!;
    expect(points.match(/<path\b/g)).toHaveLength(8);
    expect(clipping).toContain("plain gradient descent");
  });

  it("--no-plots writes nothing", async () => {
    const dir = scratch();
    const { code, out } = await cli("demo", "--no-plots", "--plot-dir", dir);
    expect(code).toBe(0);
    expect(out.some((l) => l.startsWith("wrote"))).toBe(false);
    expect(snapshot(dir)).toEqual({});
  });

  it("refuses a picture path that is not a regular file before running, changing nothing", async () => {
    const dir = scratch();
    mkfifo(join(dir, "demo-seed.svg"));
    mkdirSync(join(dir, "sub"));
    mkdirSync(join(dir, "sub", "demo-clipping.svg"));
    const before = snapshot(dir);
    const fifo = await cli("demo", "--plot-dir", dir);
    expect(fifo.code).toBe(2);
    expect(fifo.out).toEqual([]);
    expect(fifo.err.filter((l) => l !== "")).toEqual([
      `biograd: --plot-dir ${join(dir, "demo-seed.svg")}: is a FIFO; expected a regular file or a new path`,
    ]);
    const sub = await cli("demo", "--plot-dir", join(dir, "sub"));
    expect(sub.code).toBe(2);
    expect(sub.out).toEqual([]);
    expect(sub.err.join("")).toContain(
      `--plot-dir ${join(dir, "sub", "demo-clipping.svg")}: is a directory`,
    );
    expect(snapshot(dir)).toEqual(before);
    const missing = await cli("demo", "--plot-dir", join(dir, "nowhere"));
    expect(missing.code).toBe(2);
    expect(missing.err.join("")).toContain("does not exist");
  });

  it("`demo seed` still runs on its own", async () => {
    const { code, out } = await cli("demo", "seed", "--iterations", "3", "--log-every", "1");
    expect(code).toBe(0);
    expect(out.filter((l) => l.startsWith("Iteration"))).toHaveLength(3);
  });
});
