import { describe, expect, it } from "vitest";
import { decodeChunk, encodeChunk } from "../../src/queue/chunk-codec.js";
import { parseQueueUrl } from "../../src/queue/redis-url.js";
import { JSON_LABELS } from "../../src/tasks/fit-curve-request.js";
import type { GroupsChunk } from "../../src/tasks/fit-groups-chunk.js";
import { fitGroupsRequestSchema } from "../../src/tasks/fit-groups-request.js";

describe("a chunk as a queue payload", () => {
  const request = fitGroupsRequestSchema.parse({
    task: "fit-groups",
    data: { file: "/data/screen.csv" },
    model: "4pl",
    x: { x: "logconc" },
    y: "response",
    group: ["compound"],
  });
  const chunk: GroupsChunk = {
    request,
    labels: JSON_LABELS,
    groups: [
      {
        key: ["C1"],
        // Bits a decimal round trip would lose or JSON could not carry: NaN (missing), -0,
        // a subnormal, the largest double, and a value with all 17 digits.
        columns: [
          new Float64Array([Number.NaN, -0, 5e-324, Number.MAX_VALUE, 0.1 + 0.2]),
          new Float64Array([1, 2, 3, 4, 5]).subarray(1, 4),
        ],
      },
    ],
  };

  it("survives JSON to the bit, views included", () => {
    const back = decodeChunk(JSON.parse(JSON.stringify(encodeChunk(chunk))), "job j1");
    expect(back.request).toEqual(request);
    const [a, b] = back.groups[0]!.columns;
    expect(Object.is(a![0], Number.NaN)).toBe(true);
    expect(Object.is(a![1], -0)).toBe(true);
    expect([...a!.slice(2)]).toEqual([5e-324, Number.MAX_VALUE, 0.1 + 0.2]);
    expect([...b!]).toEqual([2, 3, 4]);
  });

  it("a damaged payload is one error naming the job and the field", () => {
    const encoded = encodeChunk(chunk);
    encoded.groups[0]!.columns[0] = "AAAA"; // 3 bytes: not whole float64s
    expect(() => decodeChunk(encoded, "job j1")).toThrow(
      "job j1: groups[0].columns[0]: 3 bytes is not a whole number of float64 values",
    );
    expect(() => decodeChunk({ ...encoded, labels: {} }, "job j1")).toThrow(
      /^job j1: labels\.model: /,
    );
  });
});

describe("--queue URLs", () => {
  it("host, port, database, credentials", () => {
    expect(parseQueueUrl("redis://10.0.0.5:6380/2")).toMatchObject({
      host: "10.0.0.5",
      port: 6380,
      db: 2,
      tls: false,
      display: "redis://10.0.0.5:6380/2",
    });
    const withAuth = parseQueueUrl("rediss://lab:s%40cret@queue.lab.org");
    expect(withAuth).toMatchObject({ host: "queue.lab.org", port: 6379, db: 0, tls: true });
    expect(withAuth.password).toBe("s@cret");
    expect(withAuth.display).not.toContain("cret"); // never printed
  });
});
