import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// What goes into the grouped fit's worker bundle (scripts/bundle-workers.mjs, built by
// `npm run build`, which `npm test` runs first), read from its source map: every worker thread
// loads all of it before its first chunk, so what the chunks never run is start-up time.
// Measured (fresh worker, V8 code cache): the whole bundle ~13–25 ms, zod alone ~10–13 ms.
const ROOT = join(import.meta.dirname, "../..");
const MAP = join(ROOT, "dist-cli/tasks/fit-groups-chunk.cjs.map");

// The sources the bundle must not hold (a path containing one of these).
const NOT_IN_WORKER_BUNDLE = [
  "node_modules/mathjs/",
  "node_modules/zod/",
  "node_modules/commander/",
  "node_modules/exceljs/",
  "node_modules/piscina/",
  "src/cli/",
  "src/serve/",
  "src/queue/",
  "src/sweep/",
  "src/nn/",
];

describe("the grouped fit's worker bundle", () => {
  it("holds the fitting code and none of the sources listed", () => {
    expect(existsSync(MAP), "dist-cli/tasks/fit-groups-chunk.cjs.map missing: npm run build").toBe(
      true,
    );
    const sources: string[] = JSON.parse(readFileSync(MAP, "utf8")).sources;
    const paths = sources.map((s) => s.replace(/^(\.\.\/)+/, ""));
    // The map is the bundle's: its entry and the fast 4PL path are in it.
    expect(paths).toContain("src/tasks/fit-groups-chunk.ts");
    expect(paths.some((p) => p.startsWith("src/nls/many/"))).toBe(true);
    const found = paths.filter((p) => NOT_IN_WORKER_BUNDLE.some((n) => p.includes(n)));
    expect(found).toEqual([]);
  });
});
