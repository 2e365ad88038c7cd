import { describe, expect, it } from "vitest";
import {
  checkedGroupsRequest,
  FILE_SOURCE_KEYS,
  GROUPS_REQUEST_KEYS,
} from "../../src/cli/fit-groups-request-check.js";
import { fileSourceSchema } from "../../src/tasks/data-source-schema.js";
import {
  type FitGroupsRequest,
  fitGroupsRequestSchema,
} from "../../src/tasks/fit-groups-request.js";
import { cli } from "../helpers/cli.js";

// `biograd fit --group` runs its own request without zod when checkedGroupsRequest returns it,
// and through the schema otherwise. What must hold: a request it returns is one the schema
// accepts, and it is exactly the schema's output — same values, same keys in the same order
// (journal and queue keys hash the request's JSON). Checked at, below and above every limit
// of the grouped fields (the fit-curve ones: fit-request-limits.test.ts).
const base: FitGroupsRequest = {
  data: { file: "a.csv" },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  codegen: false,
  task: "fit-groups",
  group: ["compound"],
};
const text = (n: number) => "n".repeat(n);
const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

// Built in fitGroupsCommand's order (fitRequest's fields, then the grouped ones), not the schema's.
const cliOrder = (change: Partial<FitGroupsRequest>): FitGroupsRequest => {
  const { task, group, share, compareShared, engine, ...single } = { ...base, ...change };
  const request: Record<string, unknown> = { ...single, task, group };
  if (share !== undefined) request.share = share;
  if (compareShared !== undefined) request.compareShared = compareShared;
  if (engine !== undefined) request.engine = engine;
  return request as FitGroupsRequest;
};

const cases: [string, Partial<FitGroupsRequest>][] = [
  ["plain", {}],
  ["fast", { engine: "fast" }],
  ["exact", { engine: "exact" }],
  ["codegen undefined", { codegen: undefined }],
  [
    "every fit-curve field",
    {
      data: { file: "a.csv", sheet: "s", na: ["NA", ""], delimiter: ";" },
      x: { x: "logconc" },
      start: { top: 100, bottom: 0 },
      fix: { hill: 1 },
      bounds: { top: { lower: 0, upper: null }, "2": { lower: null, upper: 4 } },
      constants: { k: 2 },
      weights: "1/y",
      phases: ["lm"],
      ci: "profile",
      logX: ["logconc"],
      residuals: true,
    },
  ],
  ["group 20 columns", { group: names(20) }],
  ["group 21 columns", { group: names(21) }],
  ["group none", { group: [] }],
  ["group name empty", { group: [""] }],
  ["group name 1000", { group: [text(1000)] }],
  ["group name 1001", { group: [text(1001)] }],
  ["share", { share: ["top", "bottom"], compareShared: true }],
  ["share 1000", { share: names(1000) }],
  ["share 1001", { share: names(1001) }],
  ["share none", { share: [] }],
  ["share name 1001", { share: [text(1001)] }],
  ["y 1001 (a fit-curve limit)", { y: text(1001) }],
  ["level (not made by the CLI)", { level: 0.9 }],
  ["start Infinity", { start: { top: Number.POSITIVE_INFINITY } }],
];

describe("checkedGroupsRequest (biograd fit --group's requests without zod)", () => {
  it("knows the schema's keys in the schema's order", () => {
    expect([...GROUPS_REQUEST_KEYS]).toEqual(Object.keys(fitGroupsRequestSchema.shape));
    expect([...FILE_SOURCE_KEYS]).toEqual(Object.keys(fileSourceSchema.shape));
  });

  it.each(cases)("%s: returned only when the schema accepts it, as its output", (name, change) => {
    const request = cliOrder(change);
    const parsed = fitGroupsRequestSchema.safeParse(request);
    const checked = checkedGroupsRequest(request);
    if (checked !== null) {
      expect(parsed.success).toBe(true);
      expect(checked).toStrictEqual(parsed.data);
      expect(JSON.stringify(checked)).toBe(JSON.stringify(parsed.data));
      expect(Object.keys(checked)).toEqual(Object.keys(parsed.data!));
      expect(Object.keys(checked.data)).toEqual(Object.keys(parsed.data!.data));
      expect(checked).not.toBe(request);
    }
    // Every ordinary request (accepted, no limit reached, made as the CLI makes it) skips zod.
    if (parsed.success && !/1000|level/.test(name)) expect(checked).not.toBeNull();
  });

  it("the grouped limits are reached exactly where the schema's are", () => {
    for (const [name, change] of cases) {
      if (!/ (20|1000)( |$)/.test(name)) continue;
      expect([name, checkedGroupsRequest(cliOrder(change)) !== null]).toEqual([name, true]);
    }
  });

  it("refuses what it does not know: another key, an inline source", () => {
    const extra = { ...cliOrder({}), other: 1 } as unknown as FitGroupsRequest;
    expect(checkedGroupsRequest(extra)).toBeNull();
    const inline = cliOrder({
      data: { columns: { x: [1] } } as unknown as FitGroupsRequest["data"],
    });
    expect(checkedGroupsRequest(inline)).toBeNull();
  });

  it("a grouped fit outside the limits gives the schema's message, naming the field", async () => {
    const args = ["fit", "examples/dnase.csv", "--model", "logistic", "--x", "lnconc"];
    const many = await cli(...args, "--y", "density", "--group", names(21).join(","));
    expect(many).toEqual({
      code: 2,
      out: [],
      err: ["biograd: request: group: Too big: expected array to have <=20 items"],
    });
    const long = await cli(...args, "--y", text(1001), "--group", "run");
    expect(long.code).toBe(2);
    expect(long.err).toEqual([
      "biograd: request: y: Too big: expected string to have <=1000 characters",
    ]);
  });
});
