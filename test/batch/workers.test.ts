import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { capWorkers, defaultWorkers } from "../../src/batch/workers.js";

describe("capWorkers", () => {
  it("caps a count above the cores at the cores, and leaves others (0 included) alone", () => {
    expect(capWorkers(8, 2)).toEqual({ workers: 2, capped: true });
    expect(capWorkers(2, 2)).toEqual({ workers: 2, capped: false });
    expect(capWorkers(1, 4)).toEqual({ workers: 1, capped: false });
    expect(capWorkers(0, 2)).toEqual({ workers: 0, capped: false });
  });

  it("defaults to this machine's cores", () => {
    expect(defaultWorkers()).toBe(availableParallelism());
    expect(capWorkers(availableParallelism() + 1).workers).toBe(availableParallelism());
  });
});
